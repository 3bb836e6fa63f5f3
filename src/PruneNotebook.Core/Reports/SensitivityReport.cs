namespace PruneNotebook.Core.Reports;

/// <summary>Per-layer pruning sensitivity: how accuracy falls as each layer alone is pruned.</summary>
/// <param name="ModelName">The model's type name.</param>
/// <param name="Criterion">The importance criterion used.</param>
/// <param name="BaselineAccuracy">Accuracy of the unmodified model.</param>
/// <param name="Curves">One curve per parameter.</param>
public sealed record SensitivityReport(string ModelName, string Criterion, double BaselineAccuracy, IReadOnlyList<SensitivityCurve> Curves)
{
    /// <summary>
    /// For each parameter, the largest sparsity tried whose accuracy stays within <paramref name="tolerance"/> of the
    /// baseline (0 when none does) — a starting point for per-layer pruning amounts.
    /// </summary>
    public IReadOnlyDictionary<string, double> MaxSparsityWithin(double tolerance) =>
        Curves.ToDictionary(c => c.Parameter, c => c.Sparsities.Where((s, i) => c.Accuracies[i] >= BaselineAccuracy - tolerance).DefaultIfEmpty(0).Max());
}
