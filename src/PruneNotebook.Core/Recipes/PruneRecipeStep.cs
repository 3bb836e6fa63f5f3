using PruneNotebook.Core.Models;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Recipes;

/// <summary>
/// <c>prune</c>: prunes by masks with PyTorch's semantics, as <c>#!prune</c> does and checked by the same
/// <see cref="PruneRequest"/>: <c>amount</c> (<c>0.9</c>, <c>90%</c> or a count) or <c>n-m</c> (<c>2:4</c>), <c>criterion</c>
/// (default l1; any name in <see cref="Criteria"/>), <c>scope</c> (local or global), <c>structured</c>, <c>dim</c>, <c>n</c>,
/// <c>seed</c>, <c>samples</c>, <c>blocksize</c>, <c>damping</c>, <c>layers</c>. A criterion that measures on data
/// (taylor, apoz, wanda, sparsegpt) uses the data's training split. On the fortunes text, wanda and sparsegpt calibrate
/// on <c>samples</c> (default 128) training windows spread over the whole corpus (<see cref="Data.FortunesCorpus.TrainSample"/>);
/// criteria that measure on labelled images (taylor, apoz) are refused.
/// </summary>
public sealed record PruneRecipeStep : RecipeStep
{
    internal PruneRecipeStep(RecipeSection options)
    {
        Source = options;
        var amount = options.Text("amount", "an amount such as 0.9, 90% or 120");
        var pattern = options.Text("n-m", "an N:M pattern such as 2:4");
        if (amount is null && pattern is null)
            throw options.Error("amount", "a prune step needs 'amount': a fraction of what remains (0.9 or 90%) or a count (120); or 'n-m': a pattern such as 2:4.");
        Request = new PruneRequest(amount ?? "")
        {
            NM = pattern,
            Criterion = options.Text("criterion", "a criterion name"),
            Scope = options.Text("scope", "local or global"),
            Structured = options.Flag("structured"),
            Dim = options.Text("dim", "0 or 1"),
            Arguments = CriterionArguments(options, "samples", "blocksize", "damping"),
        };
        Layers = options.Names("layers");
    }

    /// <inheritdoc />
    public override string Kind => "prune";

    /// <summary>The options, as <c>#!prune</c> would pass them.</summary>
    public PruneRequest Request { get; }

    /// <summary>Layers to prune; default every Linear and convolution layer.</summary>
    public IReadOnlyList<string>? Layers { get; }

    private bool NeedsData => Criteria.Get(Request.Criterion).NeedsData;

    internal override void Check(RecipeCheck check)
    {
        check.NeedModel(this);
        try
        {
            if (NeedsData)
                check.NeedData(this, $"for criterion {Criteria.Get(Request.Criterion).Name} to measure on");
            if ((check.TextData || check.TextModel) && Criteria.RefusalOnText(Request.Criterion) is { } refusal)
                throw Error("criterion", refusal);
            Request.Check(NeedsData);
            if (Layers is not null)
            {
                using var probe = ModelZoo.Create(check.Model!, CPU);
                Pruner.WeightsOf(probe, Layers);
            }
        }
        catch (RecipeException)
        {
            throw;
        }
        catch (ArgumentException e)
        {
            throw RecipeErrors.AtKey(this, e.Message, e.Message.Contains("layer", StringComparison.OrdinalIgnoreCase) && Layers is not null ? "layers" : null);
        }
    }

    internal override RecipeStepResult Run(RecipeSession session)
    {
        var model = session.Model;
        var targets = Layers is null ? Pruner.DefaultTargets(model) : Pruner.WeightsOf(model, Layers);
        SparsityReport report;
        if (NeedsData && session.HasText)
        {
            using var calibration = session.Text.TrainSample(Request.CalibrationSamples);
            report = Request.Run(model, targets, calibration);
        }
        else
        {
            report = Request.Run(model, targets, NeedsData ? session.Images.Train : null);
        }
        var scope = PruneRequest.ParseScope(Request.Scope).ToString().ToLowerInvariant();
        return new RecipeStepResult(0, Kind, Line,
            $"prune: {Criteria.Get(Request.Criterion).Name}, {(Request.NM is { } pattern ? $"n-m {pattern}" : $"amount {Request.Amount}, {scope}")}{(Request.Structured ? ", structured" : "")}: "
            + $"{RecipeFigures.Percent(report.SparsityOf(targets))} of the pruned weights are zero, {RecipeFigures.Percent(report.Sparsity)} of the model",
            report);
    }

    /// <summary>
    /// The criterion's arguments as written (<c>n</c>, <c>seed</c>, and the <paramref name="more"/> a step also takes,
    /// e.g. <c>samples</c>), as the magics pass <c>--n</c>, <c>--seed</c>, <c>--samples</c>.
    /// </summary>
    internal static IReadOnlyDictionary<string, string>? CriterionArguments(RecipeSection options, params string[] more)
    {
        var given = new[] { ("n", options.Text("n", "a norm order such as 2 or inf")), ("seed", options.Text("seed", "a whole number")) }
            .Concat(more.Select(name => (name, options.Text(name, "a number"))))
            .Where(a => a.Item2 is not null).ToDictionary(a => a.Item1, a => a.Item2!);
        return given.Count == 0 ? null : given;
    }
}
