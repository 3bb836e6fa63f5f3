using PruneNotebook.Core.Pruning;

namespace PruneNotebook.Core.Surgery;

/// <summary>How much <see cref="NetworkSurgery.Compress"/> removes, and where.</summary>
/// <param name="Amount">
/// How many units to remove, as everywhere (<see cref="PruningAmount"/>): a fraction of the units still present, or a
/// count — of every group (local) or of all prunable units together (global).
/// </param>
/// <param name="Scope">Local (default): each group loses <paramref name="Amount"/>; global: units of all groups compete on scores normalised by each group's mean.</param>
/// <param name="Ignore">Layers whose units are kept whole (e.g. <c>fc3</c>); their inputs may still shrink.</param>
/// <param name="MaxFraction">The most any one group may lose (0..1], e.g. 0.8.</param>
/// <param name="RoundTo">Kept unit counts are rounded to a multiple of this (e.g. 8, for fast kernels); 1 for no rounding.</param>
/// <param name="Heads">
/// Attention heads to remove (<c>--heads</c>): a fraction or count of each attention layer's heads (local) or of all
/// heads (global), ranked by the criterion over each head's query, key and value rows. <c>null</c> (default) keeps
/// every head; <paramref name="Amount"/> never applies to heads.
/// </param>
/// <param name="NormalizedGroups">
/// Whether groups normalised by a LayerNorm — a transformer's residual stream, shared by the embedding and every
/// block — may lose units too. Default <c>false</c>: they keep their width, and the removal summary says why.
/// </param>
public sealed record CompressionOptions(
    PruningAmount Amount,
    PruningScope Scope = PruningScope.Local,
    IReadOnlyList<string>? Ignore = null,
    double MaxFraction = 1.0,
    int RoundTo = 1,
    PruningAmount? Heads = null,
    bool NormalizedGroups = false)
{
    /// <summary>
    /// The options as <c>#!compress</c>, the CLI's <c>compress</c> and recipes spell them (<c>--amount 0.5</c>, <c>--scope global</c>,
    /// <c>--ignore fc3</c>, <c>--max-fraction 0.8</c>, <c>--round-to 8</c>, <c>--heads 0.5</c>, <c>--normalized-groups</c>;
    /// empty means the default), checked.
    /// </summary>
    /// <exception cref="ArgumentException">An option is not a number or out of range; the message names it.</exception>
    public static CompressionOptions Parse(string? amount, string? scope = null, string? ignore = null, string? maxFraction = null, string? roundTo = null,
        string? heads = null, bool normalizedGroups = false)
    {
        var options = new CompressionOptions(PruneRequest.ParseAmount(amount), PruneRequest.ParseScope(scope), Hosting.OptionValues.List(ignore),
            Hosting.OptionValues.Number("--max-fraction", maxFraction, 1), Hosting.OptionValues.Integer("--round-to", roundTo, 1),
            ParseHeads(heads), normalizedGroups);
        options.Validate();
        return options;
    }

    /// <summary>The <c>--heads</c> amount, or <c>null</c> when not given.</summary>
    /// <exception cref="ArgumentException">Not a number, a fraction outside [0, 1] or a negative count; the message names <c>--heads</c>.</exception>
    public static PruningAmount? ParseHeads(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        try
        {
            return PruningAmount.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("--heads: " + e.Message);
        }
        catch (ArgumentException e)
        {
            // A negative count or a fraction outside [0, 1]: name the option, as --amount's message does.
            throw new ArgumentException("--heads: " + e.Message.Split(" (Parameter '", 2)[0]);
        }
    }

    /// <summary>Checks every option and throws on the first that is out of range.</summary>
    /// <exception cref="ArgumentException">An option is out of range (the message says which and what is expected); the amount was checked when it was made.</exception>
    public void Validate()
    {
        if (!(MaxFraction > 0 && MaxFraction <= 1))
            throw new ArgumentException($"The per-layer maximum fraction must be in (0, 1], got {MaxFraction}.", nameof(MaxFraction));
        if (RoundTo < 1)
            throw new ArgumentException($"Round-to must be a positive multiple (1 for none), got {RoundTo}.", nameof(RoundTo));
    }

    /// <summary>How many of <paramref name="size"/> units to keep when the criterion would remove <paramref name="remove"/>.</summary>
    internal long Kept(long size, long remove)
    {
        var atLeast = size - (long)Math.Floor(MaxFraction * size + 1e-9);
        var kept = Math.Max(size - remove, atLeast);
        if (RoundTo > 1 && kept > 0)
        {
            var rounded = Math.Max(RoundTo, (long)Math.Round((double)kept / RoundTo, MidpointRounding.AwayFromZero) * RoundTo);
            kept = rounded < atLeast ? (long)Math.Ceiling((double)atLeast / RoundTo) * RoundTo : rounded;
        }
        return Math.Min(kept, size);
    }
}
