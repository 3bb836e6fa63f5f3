using PruneNotebook.Core.Data;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Recipes;

/// <summary>
/// <c>compress</c>: removes the least important channels and neurons of every coupled group
/// (<see cref="NetworkSurgery.Compress"/>), with <c>#!compress</c>'s options and defaults: <c>amount</c> (required),
/// <c>criterion</c> (l1), <c>n</c>, <c>seed</c>, <c>scope</c> (local), <c>round-to</c> (1), <c>ignore</c>,
/// <c>max-fraction</c> (1), <c>heads</c>, <c>normalized-groups</c>, <c>channels-last</c>. Criteria that measure on data use the data's test split, as
/// <c>#!compress --data</c> with a FashionMnist does.
/// </summary>
public sealed record CompressRecipeStep : SurgeryRecipeStep
{
    internal CompressRecipeStep(RecipeSection options) : base(options)
    {
        Amount = options.Text("amount", "an amount such as 0.5, 50% or 16")
            ?? throw options.Error("amount", "a compress step needs 'amount': a fraction of the units (0.5 or 50%) or a count (16).");
        Criterion = options.Text("criterion", "a criterion name");
        Arguments = PruneRecipeStep.CriterionArguments(options);
        Scope = options.Text("scope", "local or global");
        RoundTo = options.Integer("round-to", 1) ?? 1;
        Ignore = options.Names("ignore");
        MaxFraction = options.Number("max-fraction") ?? 1;
        Heads = options.Text("heads", "a fraction or count of heads such as 0.5 or 1");
        NormalizedGroups = options.Flag("normalized-groups");
    }

    /// <inheritdoc />
    public override string Kind => "compress";

    /// <summary>A fraction of the units still present or a count, as <c>--amount</c> reads it.</summary>
    public string Amount { get; }

    /// <summary>A registered criterion that scores units; default l1.</summary>
    public string? Criterion { get; }

    /// <summary>The criterion's arguments as written (<c>n</c>, <c>seed</c>).</summary>
    public IReadOnlyDictionary<string, string>? Arguments { get; }

    /// <summary><c>local</c> (default) or <c>global</c>.</summary>
    public string? Scope { get; }

    /// <summary>Kept unit counts are rounded to a multiple of this.</summary>
    public int RoundTo { get; }

    /// <summary>Layers whose units are kept whole.</summary>
    public IReadOnlyList<string>? Ignore { get; }

    /// <summary>The most any one layer may lose.</summary>
    public double MaxFraction { get; }

    /// <summary>Attention heads to remove, as <c>--heads</c> reads it (a fraction or a count); <c>null</c> keeps every head.</summary>
    public string? Heads { get; }

    /// <summary>Whether groups a LayerNorm normalises may lose units too (<c>--normalized-groups</c>).</summary>
    public bool NormalizedGroups { get; }

    internal override void Check(RecipeCheck check)
    {
        base.Check(check);
        try
        {
            if (Criteria.Get(Criterion).NeedsData)
                check.NeedData(this, $"for criterion {Criteria.Get(Criterion).Name} to measure on");
            if ((check.TextData || check.TextModel) && Criteria.RefusalOnText(Criterion) is { } refusal)
                throw Error("criterion", refusal);
            Options().Validate();
            (Criteria.Create(Criterion, Arguments, CriterionUse.Groups, check.HasData) as IDisposable)?.Dispose();
        }
        catch (RecipeException)
        {
            throw;
        }
        catch (ArgumentException e)
        {
            throw RecipeErrors.AtKey(this, e.Message, e.Message.Contains("maximum fraction", StringComparison.Ordinal) ? "max-fraction"
                : e.Message.StartsWith("--heads", StringComparison.Ordinal) ? "heads" : null);
        }
    }

    private protected override SurgeryReport Operate(nn.Module<Tensor, Tensor> model, TensorDataset? data, SurgeryMeasurement measurement)
    {
        var criterion = Criteria.Create(Criterion, Arguments, CriterionUse.Groups, data is not null);
        try
        {
            return NetworkSurgery.Compress(model, Options(), criterion, null, measurement, data);
        }
        finally
        {
            (criterion as IDisposable)?.Dispose();
        }
    }

    private CompressionOptions Options() => new(PruneRequest.ParseAmount(Amount), PruneRequest.ParseScope(Scope), Ignore, MaxFraction, RoundTo,
        CompressionOptions.ParseHeads(Heads), NormalizedGroups);
}
