using System.Globalization;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;
using TensorDataset = PruneNotebook.Core.Data.TensorDataset;

namespace PruneNotebook.Core.Pruning;

/// <summary>
/// One pruning call as a host spells it — <c>#!prune</c>, the CLI's <c>prune</c>, recipes — with the options as typed,
/// checked in one place (one line naming the option and what to do) and run with the one set of defaults: criterion
/// <c>l1</c>, scope local, unstructured, dim 0. No option is silently ignored: <c>--dim</c> without <c>--structured</c>,
/// an argument the criterion does not take (<c>--n</c>, <c>--seed</c>), data for a criterion that does not measure on
/// data, a criterion that needs data without it, or one that cannot score what is asked, are refused.
/// </summary>
/// <param name="Amount"><c>--amount</c>: a fraction of what remains (<c>0.9</c>, <c>90%</c>) or a count (<c>120</c>); empty with <see cref="NM"/>.</param>
public sealed record PruneRequest(string Amount)
{
    /// <summary><c>--criterion</c>: a name registered in <see cref="Criteria"/>; default <c>l1</c>.</summary>
    public string? Criterion { get; init; }

    /// <summary><c>--scope</c>: <c>local</c> (default) or <c>global</c>.</summary>
    public string? Scope { get; init; }

    /// <summary><c>--structured</c>: prune whole units (slices along <see cref="Dim"/>) instead of single weights.</summary>
    public bool Structured { get; init; }

    /// <summary><c>--dim</c>: the unit dimension for structured pruning (0: outputs, default; 1: inputs).</summary>
    public string? Dim { get; init; }

    /// <summary>
    /// <c>--n-m</c>: an N:M semi-structured pattern (<c>2:4</c>) to prune every weight to along its inputs, instead of an
    /// amount; <c>null</c> for unstructured or structured pruning.
    /// </summary>
    public string? NM { get; init; }

    /// <summary>The criterion's arguments as typed, by name (e.g. <c>n</c> from <c>--n</c>, <c>seed</c> from <c>--seed</c>).</summary>
    public IReadOnlyDictionary<string, string>? Arguments { get; init; }

    /// <summary>
    /// The calibration examples a criterion that measures on data uses: <c>--samples</c> when given as a whole number,
    /// else <see cref="Calibration.CalibrationPass.DefaultSamples"/> (a bad value is refused by <see cref="Check"/>).
    /// </summary>
    public int CalibrationSamples =>
        Arguments?.FirstOrDefault(a => a.Key.Equals("samples", StringComparison.OrdinalIgnoreCase)).Value is { } text
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n : Calibration.CalibrationPass.DefaultSamples;

    /// <summary>
    /// Checks every option and prunes <paramref name="targets"/> of <paramref name="model"/>; nothing is changed when a check fails.
    /// </summary>
    /// <param name="model">The model; pruned in place.</param>
    /// <param name="targets">Qualified parameter names.</param>
    /// <param name="data">Data for a criterion that measures on it (<c>--data</c>), or <c>null</c>.</param>
    /// <returns>The model's sparsity afterwards.</returns>
    /// <exception cref="ArgumentException">An option is wrong or does not fit the others; the message is one line.</exception>
    public SparsityReport Run(nn.Module model, IReadOnlyList<string> targets, TensorDataset? data = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (amount, scope, dim, criterion) = Prepare(data is not null);
        try
        {
            if (ParsePattern() is { } pattern)
                return Pruner.SemiStructured(model, targets, pattern, criterion, data);
            return Structured
                ? Pruner.Structured(model, targets, amount!.Value, criterion, dim, scope, data)
                : Pruner.Unstructured(model, targets, amount!.Value, criterion, scope, data);
        }
        finally
        {
            (criterion as IDisposable)?.Dispose();
        }
    }

    /// <summary>Checks every option that does not depend on the model, before a host loads anything.</summary>
    /// <param name="dataGiven">Whether data will be given to <see cref="Run"/>.</param>
    /// <exception cref="ArgumentException">An option is wrong or does not fit the others; the message is one line.</exception>
    public void Check(bool dataGiven)
    {
        var (_, _, _, criterion) = Prepare(dataGiven);
        (criterion as IDisposable)?.Dispose();
    }

    private NmSparsity? ParsePattern() => string.IsNullOrWhiteSpace(NM) ? null : NmSparsity.Parse(NM.Trim());

    private (PruningAmount? Amount, PruningScope Scope, int Dim, ICriterion Criterion) Prepare(bool dataGiven)
    {
        var pattern = ParsePattern();
        if (pattern is not null && !string.IsNullOrWhiteSpace(Amount))
            throw new ArgumentException($"--amount {Amount} does not apply with --n-m {pattern}: the pattern sets the sparsity ({(pattern.Value.Sparsity * 100).ToString("0.#", CultureInfo.InvariantCulture)}%); drop --amount.");
        if (pattern is not null && Structured)
            throw new ArgumentException($"--n-m {pattern} prunes single weights in groups along the inputs, not whole units: drop --structured.");
        if (pattern is not null && !string.IsNullOrWhiteSpace(Scope))
            throw new ArgumentException($"--n-m {pattern} applies to every group of every weight alike: drop --scope.");
        if (pattern is null && string.IsNullOrWhiteSpace(Amount))
            throw new ArgumentException("Give --amount (a fraction of what remains, e.g. 0.5, or a count) or --n-m N:M (e.g. 2:4).");
        PruningAmount? amount = pattern is null ? ParseAmount(Amount) : null;
        var scope = ParseScope(Scope);
        if (!Structured && !string.IsNullOrWhiteSpace(Dim))
            throw new ArgumentException($"--dim {Dim} applies to whole units: add --structured, or drop --dim.");
        var dim = 0;
        if (!string.IsNullOrWhiteSpace(Dim) && !int.TryParse(Dim, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out dim))
            throw new ArgumentException($"--dim '{Dim}' is not a whole number.");
        var info = Criteria.Get(Criterion);
        if (dataGiven && !info.NeedsData)
            throw new ArgumentException($"--data is used only by criteria that measure on data ({string.Join(", ", Criteria.All.Where(c => c.NeedsData).Select(c => c.Name))}), not {info.Name}: drop --data.");
        var criterion = Criteria.Create(info.Name, Arguments, Structured ? CriterionUse.Units : CriterionUse.Entries, dataGiven);
        if (!Structured && pattern is null)
        {
            string? refusal = null;
            if (scope == PruningScope.Global && criterion is IRowComparedCriterion or IReconstructingCriterion)
                refusal = $"--criterion {info.Name} compares weights within each layer, not across layers: use --scope local.";
            else if (criterion is IRowComparedCriterion && amount!.Value.Count is not null)
                refusal = $"--criterion {info.Name} prunes the same fraction of every output row: give --amount as a fraction (e.g. 0.5), not a count.";
            if (refusal is not null)
            {
                (criterion as IDisposable)?.Dispose();
                throw new ArgumentException(refusal);
            }
        }
        return (amount, scope, dim, criterion);
    }

    /// <summary><c>--amount</c> as <see cref="PruningAmount.Parse"/> reads it.</summary>
    /// <exception cref="ArgumentException">Not a number, a fraction outside [0, 1] or a negative count.</exception>
    public static PruningAmount ParseAmount(string? text)
    {
        try
        {
            return PruningAmount.Parse(text ?? "");
        }
        catch (FormatException e)
        {
            throw new ArgumentException("--amount: " + e.Message);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException("--amount: " + e.Message.Split(" (Parameter '", 2)[0]);
        }
    }

    /// <summary><c>--scope</c>: <c>local</c> (also when empty) or <c>global</c>.</summary>
    /// <exception cref="ArgumentException">Anything else.</exception>
    public static PruningScope ParseScope(string? text) =>
        string.IsNullOrWhiteSpace(text) ? PruningScope.Local : text.Trim().ToLowerInvariant() switch
        {
            "local" => PruningScope.Local,
            "global" => PruningScope.Global,
            _ => throw new ArgumentException($"Unknown --scope '{text}': expected local or global."),
        };
}
