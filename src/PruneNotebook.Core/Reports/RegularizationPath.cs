namespace PruneNotebook.Core.Reports;

/// <summary>Coefficients of a penalised linear model along a grid of penalty strengths α (largest first).</summary>
/// <param name="Estimator">Which model (<c>Lasso</c>, <c>ElasticNet(l1_ratio=0.5)</c>).</param>
/// <param name="Dataset">The data it was fitted on.</param>
/// <param name="FeatureNames">The d features.</param>
/// <param name="Alphas">The α values (a), descending.</param>
/// <param name="Coefficients">Coefficients per α: (a) rows of (d).</param>
/// <param name="Intercepts">Intercept per α (a).</param>
/// <param name="Iterations">Coordinate-descent sweeps per α (a), warm-started from the previous α.</param>
/// <param name="Seconds">Wall time of the whole path.</param>
public sealed record RegularizationPath(
    string Estimator,
    string Dataset,
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<double> Alphas,
    IReadOnlyList<IReadOnlyList<double>> Coefficients,
    IReadOnlyList<double> Intercepts,
    IReadOnlyList<int> Iterations,
    double Seconds)
{
    /// <summary>Nonzero coefficients at each α (a).</summary>
    public IReadOnlyList<int> NonzeroCounts => Coefficients.Select(c => c.Count(v => v != 0)).ToArray();

    /// <summary>For each feature, the largest α at which it is nonzero (its entry point), or 0 when it never enters.</summary>
    public IReadOnlyList<double> EntryAlphas => Enumerable.Range(0, FeatureNames.Count)
        .Select(j => Enumerable.Range(0, Alphas.Count).Where(a => Coefficients[a][j] != 0).Select(a => Alphas[a]).DefaultIfEmpty(0).Max())
        .ToArray();
}
