namespace PruneNotebook.Core.Scoring;

/// <summary>
/// An entry criterion whose scores are comparable only within one output row of a weight (Wanda: |W_ij|·‖X_j‖₂ scales
/// each input column by its activations, so rows, not whole layers, are what it ranks). Local unstructured pruning then
/// removes the amount from every row; global pruning is refused.
/// </summary>
public interface IRowComparedCriterion : IEntryCriterion
{
}
