using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Recursive feature elimination as scikit-learn's <c>RFE</c>: fit the estimator on the remaining features, drop the
/// <paramref name="step"/> least important (squared coefficients summed over outputs, or the model's importances), repeat
/// until <paramref name="featuresToSelect"/> remain. Works with any estimator whose fitted model implements
/// <see cref="IFeatureImportances"/>.
/// </summary>
/// <param name="estimator">The estimator to rank features with.</param>
/// <param name="featuresToSelect">How many features to keep (1 ≤ k ≤ d).</param>
/// <param name="step">Features dropped per round (≥ 1).</param>
public sealed class RecursiveFeatureElimination(IEstimator estimator, int featuresToSelect, int step = 1)
{
    /// <summary>The ranking estimator.</summary>
    public IEstimator Estimator { get; } = estimator ?? throw new ArgumentNullException(nameof(estimator));

    /// <summary>k.</summary>
    public int FeaturesToSelect { get; } = featuresToSelect;

    /// <summary>Features dropped per round.</summary>
    public int Step { get; } = step;

    /// <summary>Runs the elimination on <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">k is not in 1..d, the step is below 1, or the estimator's models have no importances.</exception>
    public FeatureSelection Fit(TabularDataset data) => Eliminate(data, FeaturesToSelect, null);

    /// <summary>
    /// The elimination down to k features; <paramref name="onRound"/> is called with every fitted model and the features it
    /// saw (RFECV scores them).
    /// </summary>
    internal FeatureSelection Eliminate(TabularDataset data, int k, Action<IFittedModel, int[]>? onRound)
    {
        ArgumentNullException.ThrowIfNull(data);
        var d = data.FeatureCount;
        if (k < 1 || k > d)
            throw new ArgumentException($"Cannot select {k} features from '{data.Name}', which has {d}: expected 1 to {d}.", nameof(featuresToSelect));
        if (Step < 1)
            throw new ArgumentException($"RFE step must be at least 1, got {Step}.", nameof(step));
        var support = Enumerable.Repeat(true, d).ToArray();
        var ranking = Enumerable.Repeat(1, d).ToArray();
        while (support.Count(s => s) > k)
        {
            var features = Enumerable.Range(0, d).Where(j => support[j]).ToArray();
            using var subset = data.Columns(features);
            var model = Estimator.Fit(subset);
            var importances = Importances(model, Estimator.Name);
            onRound?.Invoke(model, features);
            (model as IDisposable)?.Dispose();
            var drop = Math.Min(Step, features.Length - k);
            // Least important first; ties by column (a stable order).
            foreach (var position in Enumerable.Range(0, features.Length).OrderBy(i => importances[i]).ThenBy(i => i).Take(drop))
                support[features[position]] = false;
            for (var j = 0; j < d; j++)
                if (!support[j])
                    ranking[j]++;
        }
        var selected = Enumerable.Range(0, d).Where(j => support[j]).ToArray();
        if (onRound is not null)
        {
            using var final = data.Columns(selected);
            var model = Estimator.Fit(final);
            onRound(model, selected);
            (model as IDisposable)?.Dispose();
        }
        var rounds = ranking.Max();
        return new FeatureSelection($"RFE with {Estimator.Name}", data.Name, data.FeatureNames, ranking.Select(r => (double)(rounds - r + 1)).ToArray(),
            "rounds survived", ranking, selected);
    }

    /// <summary>RFE's importances: Σ over output rows of squared coefficients, or the model's own importances.</summary>
    internal static double[] Importances(IFittedModel model, string estimator) => model switch
    {
        ICoefficients linear => Enumerable.Range(0, linear.CoefficientRows[0].Count).Select(j => linear.CoefficientRows.Sum(r => r[j] * r[j])).ToArray(),
        IFeatureImportances ranked => ranked.FeatureImportances.ToArray(),
        _ => throw new ArgumentException($"{estimator}'s fitted model ({model.GetType().Name}) has no coefficients or feature importances to rank features by."),
    };
}
