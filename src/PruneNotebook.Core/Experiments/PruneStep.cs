using System.Text.Json.Serialization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Prunes the trial's model by masks, with PyTorch's semantics (<see cref="Pruner"/>): <paramref name="Amount"/> is a
/// fraction of what still remains (<c>0.9</c>) or a whole-number count (<c>120</c>); scope local (each layer loses the
/// amount) or global (one threshold). Adds <c>&lt;label&gt;.sparsity</c> of the pruned parameters.
/// </summary>
/// <param name="Criterion">A registered criterion (<see cref="Criteria"/>): <c>l1</c> (magnitude), <c>l2</c>, <c>random</c> (seeded by the trial's seed), <c>taylor</c> (measures training batches), ...; structured pruning also takes unit criteria (<c>bn</c>, <c>apoz</c>).</param>
/// <param name="Amount">Fraction of what remains, or a count.</param>
/// <param name="Scope"><c>local</c> or <c>global</c>.</param>
/// <param name="Structured">Prune whole units (rows of Linear, filters of convolutions) along <paramref name="Dim"/>.</param>
/// <param name="Dim">Unit dimension for structured pruning: 0 outputs, 1 inputs.</param>
/// <param name="Layers">Layer names to prune; default every Linear and convolution layer.</param>
/// <param name="Label">Prefix of the figures; default <c>prune</c>.</param>
public sealed record PruneStep(
    string Criterion = "l1",
    [property: JsonConverter(typeof(PruningAmountJsonConverter))] PruningAmount Amount = default,
    string Scope = "local",
    bool Structured = false,
    int Dim = 0,
    IReadOnlyList<string>? Layers = null,
    string Label = "prune") : TrialStep
{
    internal override void Validate(DataSpec data)
    {
        if (Amount.Fraction is null && Amount.Count is null)
            throw new ArgumentException("A prune step needs \"amount\": a fraction of what remains (0.9) or a count (120).");
        ExperimentCriteria.Check(Criterion, Structured ? CriterionUse.Units : CriterionUse.Entries);
        PruningScopes.Parse(Scope);
        if (Dim is < 0 or > 1)
            throw new ArgumentException($"Structured pruning takes dim 0 (outputs) or 1 (inputs), got {Dim}.");
        TrialContext.CheckLabel(Label);
    }

    internal override void Run(TrialContext context)
    {
        var model = context.Model;
        var targets = Layers is { Count: > 0 } names ? Pruner.WeightsOf(model, names) : Pruner.DefaultTargets(model);
        var criterion = ExperimentCriteria.Create(Criterion, context.Seed, Structured ? CriterionUse.Units : CriterionUse.Entries);
        try
        {
            var report = Structured
                ? Pruner.Structured(model, targets, Amount, criterion, Dim, PruningScopes.Parse(Scope), context.Train)
                : Pruner.Unstructured(model, targets, Amount, criterion, PruningScopes.Parse(Scope), context.Train);
            context.Add(Label, "sparsity", report.SparsityOf(targets));
        }
        finally
        {
            (criterion as IDisposable)?.Dispose();
        }
    }

    internal override string Describe() => $"prune ({Label}): {Criterion}, amount {Amount}, {Scope}{(Structured ? $", structured dim {Dim}" : "")}";
}
