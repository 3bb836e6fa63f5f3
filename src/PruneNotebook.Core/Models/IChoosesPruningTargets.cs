namespace PruneNotebook.Core.Models;

/// <summary>
/// A model whose usual pruning targets are only some of its Linear and convolution layers, such as a language model
/// whose embeddings and output head are left dense (as the Wanda and SparseGPT papers prune). Pruning calls that are
/// given no layers take these (<see cref="Pruning.Pruner.DefaultTargets"/>); named layers can still be any.
/// </summary>
public interface IChoosesPruningTargets
{
    /// <summary>Whether the Linear or convolution layer at <paramref name="layer"/> (a module path such as <c>blocks.0.mlp.inner.fc1</c>) is pruned by default.</summary>
    bool IsPruningTarget(string layer);
}
