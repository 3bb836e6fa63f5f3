namespace PruneNotebook.Core.Reports;

/// <summary>Accuracy of a model as one parameter alone is pruned to increasing sparsity.</summary>
/// <param name="Parameter">Qualified parameter name, e.g. <c>conv1.weight</c>.</param>
/// <param name="Count">Entries of the parameter.</param>
/// <param name="Sparsities">Sparsities tried (0..1), ascending.</param>
/// <param name="Accuracies">Accuracy at each sparsity.</param>
public sealed record SensitivityCurve(string Parameter, long Count, IReadOnlyList<double> Sparsities, IReadOnlyList<double> Accuracies);
