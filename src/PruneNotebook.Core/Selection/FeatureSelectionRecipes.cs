using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Feature selection by method name on standardized features (statistics of all rows): what <c>#!select-features</c> runs.
/// <list type="bullet">
/// <item><c>rfe</c>: RFE down to k with the estimator (default: logistic regression for classes, least squares otherwise).</item>
/// <item><c>rfecv</c>: RFE with k chosen by stratified / plain 5-fold cross-validation.</item>
/// <item><c>lasso</c>: regression: LassoCV picks α and its path is returned; classes: L1 logistic regression (C = 0.1 unless given); then
/// the nonzero coefficients, or the k largest.</item>
/// <item><c>permutation</c>: permutation importance of the estimator fitted on the rows (5 repeats), top k.</item>
/// <item><c>model</c>: SelectFromModel on the estimator's |coefficients| (mean threshold, or top k).</item>
/// </list>
/// </summary>
public static class FeatureSelectionRecipes
{
    /// <summary>The method names.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["rfe", "rfecv", "lasso", "permutation", "model"];

    /// <summary>Runs <paramref name="method"/> on <paramref name="data"/>.</summary>
    /// <param name="data">The rows (features are standardized here).</param>
    /// <param name="method">One of <see cref="Methods"/>.</param>
    /// <param name="k">Features to keep (1..d), or <c>null</c> for the method's own choice (half for RFE).</param>
    /// <param name="estimator">An estimator recipe name (see <see cref="EstimatorRecipes"/>) with <paramref name="parameters"/>, or <c>null</c> for the default.</param>
    /// <param name="parameters">The estimator's parameters.</param>
    /// <param name="seed">Seeds permutation importance.</param>
    /// <returns>The selection, and the regularization path for <c>lasso</c> on a regression target.</returns>
    /// <exception cref="ArgumentException">Unknown method or estimator, or k out of range (the message names it).</exception>
    public static (FeatureSelection Selection, RegularizationPath? Path) Run(TabularDataset data, string method, int? k = null, string? estimator = null,
        IReadOnlyDictionary<string, object>? parameters = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(method);
        var d = data.FeatureCount;
        if (k is { } count && (count < 1 || count > d))
            throw new ArgumentException($"--k {count} is out of range: '{data.Name}' has {d} features, expected 1 to {d}.", nameof(k));
        var key = method.Trim().ToLowerInvariant();
        if (!Methods.Contains(key))
            throw new ArgumentException($"Unknown method '{method}': expected {string.Join(", ", Methods)}.", nameof(method));
        using var standardized = new Standardizer().Fit(data).Transform(data);
        IEstimator Estimator(string classification, string regression) =>
            EstimatorRecipes.Create(estimator ?? (data.IsClassification ? classification : regression), parameters);
        switch (key)
        {
            case "rfe":
                return (new RecursiveFeatureElimination(Estimator("logistic", "linear"), k ?? Math.Max(1, d / 2)).Fit(standardized), null);
            case "rfecv":
                return (new RecursiveFeatureEliminationCV(Estimator("logistic", "linear")).Fit(standardized), null);
            case "permutation":
            {
                var model = Estimator("logistic", "linear").Fit(standardized);
                try
                {
                    return (PermutationImportance.Compute(model, standardized, repeats: 5, seed: seed, keep: k), null);
                }
                finally
                {
                    (model as IDisposable)?.Dispose();
                }
            }
            case "model":
            {
                var chosen = Estimator("logistic", "lasso");
                var model = chosen.Fit(standardized);
                try
                {
                    return (SelectFromModel.Select(model, standardized, maxFeatures: k, method: $"SelectFromModel with {chosen.Name}"), null);
                }
                finally
                {
                    (model as IDisposable)?.Dispose();
                }
            }
            default:
                if (data.IsClassification)
                {
                    var settings = new Dictionary<string, object>(parameters ?? new Dictionary<string, object>()) { ["penalty"] = "l1" };
                    settings.TryAdd("C", 0.1);
                    var logistic = (LogisticRegression)EstimatorRecipes.Create("logistic", settings);
                    var fitted = logistic.Fit(standardized);
                    return (SelectFromModel.Select(fitted, standardized, threshold: k is null ? 1e-10 : null, maxFeatures: k,
                        method: $"L1 logistic regression (C={logistic.C:G3})"), null);
                }
                var cv = new ElasticNetCV().Fit(standardized);
                var path = ElasticNetPath.Compute(standardized, 1.0, cv.Alphas);
                return (SelectFromModel.Select(cv, standardized, threshold: k is null ? 1e-10 : null, maxFeatures: k,
                    method: $"Lasso (α={cv.Alpha:G3} by 5-fold CV)"), path);
        }
    }
}
