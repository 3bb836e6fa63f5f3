using System.Globalization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Prunes one parameter alone to each sparsity, evaluates on the test split and restores it (<see cref="Sensitivity.Analyze"/>).
/// Adds <c>&lt;label&gt;.baseline</c>, <c>.count</c> (entries of the parameter) and, for the k-th sparsity in ascending
/// order, <c>.sparsity_k</c> and <c>.accuracy_k</c>.
/// </summary>
/// <param name="Parameter">The parameter, e.g. <c>conv1.weight</c>.</param>
/// <param name="Sparsities">Sparsities in [0, 1].</param>
/// <param name="Criterion">A registered criterion that scores weights (<see cref="Criteria"/>), e.g. <c>l1</c>, <c>l2</c>, <c>random</c>.</param>
/// <param name="Label">Prefix of the figures; default <c>sensitivity</c>.</param>
public sealed record SensitivityStep(string Parameter, IReadOnlyList<double> Sparsities, string Criterion = "l1", string Label = "sensitivity") : TrialStep
{
    internal override void Validate(DataSpec data)
    {
        if (string.IsNullOrWhiteSpace(Parameter))
            throw new ArgumentException("A sensitivity step needs \"parameter\", e.g. \"conv1.weight\".");
        if (Sparsities is null || Sparsities.Count == 0 || Sparsities.Any(s => !(s >= 0 && s <= 1)))
            throw new ArgumentException("A sensitivity step needs sparsities in [0, 1], e.g. [0.5, 0.9].");
        ExperimentCriteria.Check(Criterion, CriterionUse.Entries);
        TrialContext.CheckLabel(Label);
    }

    internal override void Run(TrialContext context)
    {
        var criterion = ExperimentCriteria.Create(Criterion, context.Seed, CriterionUse.Entries);
        try
        {
            var report = Sensitivity.Analyze(context.Model, context.Test, Sparsities, [Parameter], criterion);
            var curve = report.Curves.Single();
            context.Add(Label, "baseline", report.BaselineAccuracy);
            context.Add(Label, "count", curve.Count);
            for (var k = 0; k < curve.Sparsities.Count; k++)
            {
                context.Add(Label, $"sparsity_{k.ToString(CultureInfo.InvariantCulture)}", curve.Sparsities[k]);
                context.Add(Label, $"accuracy_{k.ToString(CultureInfo.InvariantCulture)}", curve.Accuracies[k]);
            }
        }
        finally
        {
            (criterion as IDisposable)?.Dispose();
        }
    }

    internal override string Describe() => $"sensitivity ({Label}): {Parameter} at {string.Join(", ", Sparsities.Select(s => s.ToString("G4", CultureInfo.InvariantCulture)))}, {Criterion}";
}
