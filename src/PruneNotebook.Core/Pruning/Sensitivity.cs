using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>Sensitivity analysis: prune each layer alone to each sparsity, measure accuracy, restore it.</summary>
public static class Sensitivity
{
    /// <summary>The sparsities <c>#!sensitivity</c> and the CLI try when <c>--amounts</c> is not given.</summary>
    public static IReadOnlyList<double> DefaultSparsities { get; } = [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95];

    /// <summary><c>--amounts</c>: comma-separated sparsities in [0, 1], or <see cref="DefaultSparsities"/> when empty.</summary>
    /// <exception cref="ArgumentException">Not numbers, or one outside [0, 1].</exception>
    public static double[] ParseSparsities(string? text)
    {
        var amounts = Hosting.OptionValues.Numbers("--amounts", text, [.. DefaultSparsities]);
        return amounts.Any(a => a is < 0 or > 1)
            ? throw new ArgumentException($"--amounts '{text}' must be sparsities in [0, 1], e.g. 0.1,0.5,0.9.")
            : amounts;
    }

    /// <summary>
    /// For each of <paramref name="targets"/> and each of <paramref name="sparsities"/>: zeroes that fraction of the
    /// parameter's lowest-scoring entries (everything else untouched), evaluates on <paramref name="data"/>, and puts the
    /// parameter back bit for bit. Pruning masks the model already has are left as they are.
    /// </summary>
    /// <param name="model">A classifier.</param>
    /// <param name="data">Validation data; also the data a criterion that measures on data (Taylor) uses.</param>
    /// <param name="sparsities">Sparsities in [0, 1], e.g. 0.1, 0.3, 0.5, 0.7, 0.9, 0.95.</param>
    /// <param name="targets">Parameters; default <see cref="Pruner.DefaultTargets"/>.</param>
    /// <param name="criterion">A criterion that scores entries; default magnitude (L1).</param>
    /// <param name="batchSize">Evaluation batch size.</param>
    /// <param name="cancellationToken">Checked between evaluations; the model is restored on cancellation too.</param>
    /// <exception cref="ArgumentException">No sparsities, or one outside [0, 1]; unknown parameter; a criterion that cannot score entries.</exception>
    public static SensitivityReport Analyze(nn.Module<Tensor, Tensor> model, TensorDataset data, IReadOnlyList<double> sparsities,
        IReadOnlyList<string>? targets = null, ICriterion? criterion = null, int batchSize = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sparsities);
        if (sparsities.Count == 0 || sparsities.Any(s => !(s >= 0 && s <= 1)))
            throw new ArgumentException($"Sparsities must be a non-empty list of fractions in [0, 1], got [{string.Join(", ", sparsities)}].", nameof(sparsities));
        targets ??= Pruner.DefaultTargets(model);
        FiniteWeights.Check(targets.Select(t => (t, (Tensor)ModuleTree.Resolve(model, t).Value)));
        var entries = CriterionScoring.Entries(criterion ?? new MagnitudeCriterion(1));
        using var context = new ScoringContext(model, data);
        var ordered = sparsities.Distinct().Order().ToArray();
        var baseline = Trainer.Evaluate(model, data, batchSize).Accuracy;
        var curves = new List<SensitivityCurve>();
        foreach (var name in targets)
        {
            var (_, _, parameter) = ModuleTree.Resolve(model, name);
            using var backup = parameter.detach().clone();
            using var scores = entries.ScoreEntries(parameter, name, context).flatten();
            using var all = ones_like(scores, dtype: ScalarType.Bool);
            var accuracies = new List<double>();
            try
            {
                foreach (var sparsity in ordered)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var k = (long)Math.Round(sparsity * parameter.numel(), MidpointRounding.ToEven);
                    using (var scope = NewDisposeScope())
                    using (no_grad())
                    {
                        var chosen = KSmallest.Select(scores, all, k).reshape(parameter.shape);
                        parameter.masked_fill_(chosen, 0);
                    }
                    accuracies.Add(Trainer.Evaluate(model, data, batchSize).Accuracy);
                    using (no_grad())
                        parameter.copy_(backup);
                }
            }
            finally
            {
                using (no_grad())
                    parameter.copy_(backup);
            }
            curves.Add(new SensitivityCurve(name, parameter.numel(), ordered, accuracies));
        }
        return new SensitivityReport(model.GetType().Name, entries.Name, baseline, curves);
    }
}
