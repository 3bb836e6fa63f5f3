namespace PruneNotebook.Core.Reports;

/// <summary>Sparsity maps of a model's weight matrices (see <see cref="Analysis.SparsityMaps"/>).</summary>
/// <param name="ModelName">The model's type name.</param>
/// <param name="Weights">One map per weight, in module order.</param>
public sealed record SparsityMap(string ModelName, IReadOnlyList<WeightMap> Weights);
