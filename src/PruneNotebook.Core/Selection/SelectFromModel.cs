using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Selection from a fitted model's importances (scikit-learn's <c>SelectFromModel</c>): keep the features whose importance
/// (|coefficient| summed over outputs) is at least a threshold, at most the top k of them.
/// </summary>
/// <param name="estimator">The estimator to fit (a Lasso selects by its zeros).</param>
/// <param name="threshold">Minimum importance; default 1e-5 for L1-penalised estimators (Lasso, Elastic Net, L1 logistic), else the mean importance.</param>
/// <param name="maxFeatures">Keep at most this many (the most important), or <c>null</c>.</param>
public sealed class SelectFromModel(IEstimator estimator, double? threshold = null, int? maxFeatures = null)
{
    /// <summary>Fits the estimator on <paramref name="data"/> and selects from its importances.</summary>
    /// <exception cref="ArgumentException">maxFeatures is out of range, or the fitted model has no importances.</exception>
    public FeatureSelection Fit(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(data);
        var model = estimator.Fit(data);
        try
        {
            var l1 = estimator is ElasticNet or ElasticNetCV || estimator is LogisticRegression { Penalty: not LogisticPenalty.L2 };
            return Select(model, data, threshold ?? (l1 ? 1e-5 : (double?)null), maxFeatures, $"SelectFromModel with {estimator.Name}");
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    /// <summary>Selects from an already fitted model's importances.</summary>
    /// <param name="model">A fitted model with <see cref="IFeatureImportances"/>.</param>
    /// <param name="data">The data it was fitted on (for names).</param>
    /// <param name="threshold">Minimum importance, or <c>null</c> for the mean (or none when <paramref name="maxFeatures"/> is given).</param>
    /// <param name="maxFeatures">Keep at most this many.</param>
    /// <param name="method">A label.</param>
    /// <exception cref="ArgumentException">maxFeatures out of range, or no importances.</exception>
    public static FeatureSelection Select(IFittedModel model, TabularDataset data, double? threshold = null, int? maxFeatures = null, string? method = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (model is not IFeatureImportances ranked)
            throw new ArgumentException($"{model.GetType().Name} has no coefficients or feature importances to select features by.", nameof(model));
        var d = data.FeatureCount;
        if (maxFeatures is { } k && (k < 1 || k > d))
            throw new ArgumentException($"Cannot select {k} features from '{data.Name}', which has {d}: expected 1 to {d}.", nameof(maxFeatures));
        var importances = ranked.FeatureImportances;
        var cut = threshold ?? (maxFeatures is null ? importances.Average() : double.NegativeInfinity);
        var order = Enumerable.Range(0, d).OrderByDescending(j => importances[j]).ThenBy(j => j).ToArray();
        var selected = order.Where(j => importances[j] >= cut).Take(maxFeatures ?? d).ToArray();
        var ranking = new int[d];
        for (var i = 0; i < d; i++)
            ranking[order[i]] = i < selected.Length ? 1 : i - selected.Length + 2;
        return new FeatureSelection(method ?? $"SelectFromModel ({model.GetType().Name})", data.Name, data.FeatureNames, importances.ToArray(),
            "importance (|coefficient|)", ranking, selected.Order().ToArray());
    }
}
