using PruneNotebook.Core.Pruning;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Scoring;

/// <summary>
/// A post-training criterion that chooses a layer's mask and updates the weights it keeps to make up for the ones it
/// removes (SparseGPT's layer-wise reconstruction). <see cref="Pruner"/> runs it layer by layer in module order, so each
/// layer is calibrated on the outputs of the layers already pruned. Its <see cref="IEntryCriterion.ScoreEntries"/> is the
/// one-shot saliency, for callers that only rank (schedules, sensitivity).
/// </summary>
public interface IReconstructingCriterion : IEntryCriterion
{
    /// <summary>
    /// Prunes one weight: returns its keep mask (1 keeps, 0 prunes; the weight's shape, on its device) and writes the
    /// reconstructed weights (zeros where pruned) into <paramref name="weight"/> in place.
    /// </summary>
    /// <param name="weight">The weight, shape (out, in); changed in place.</param>
    /// <param name="name">Its qualified name, e.g. <c>blocks.0.mlp.fc1.weight</c>.</param>
    /// <param name="existing">Its current keep mask, or <c>null</c>: pruned entries stay pruned.</param>
    /// <param name="sparsity">The fraction of the weight to prune (existing pruned entries included); ignored with a pattern.</param>
    /// <param name="pattern">An N:M pattern to prune to instead, or <c>null</c>.</param>
    /// <param name="context">The model and its calibration data.</param>
    /// <exception cref="ArgumentException">The layer or data cannot be used (the message says why); the weight is unchanged.</exception>
    Tensor PruneLayer(Tensor weight, string name, Tensor? existing, double sparsity, NmSparsity? pattern, ScoringContext context);
}
