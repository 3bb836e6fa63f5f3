using PruneNotebook.Core.Surgery;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Scoring;

/// <summary>
/// Network slimming (Liu et al. 2017): a unit scores |γ|, the scale of the BatchNorm it passes through (summed when a
/// residual group has several). It scores units of channel groups, and so the output units (dim 0) of a layer that a
/// BatchNorm follows in structured pruning; groups without an affine BatchNorm cannot be scored and stay whole. A
/// single weight has no scale of its own, so it does not score entries.
/// </summary>
public sealed class BatchNormScaleCriterion : IGroupCriterion
{
    /// <inheritdoc />
    public string Name => "bn";

    /// <inheritdoc />
    public IReadOnlyList<Tensor?> ScoreGroups(IReadOnlyList<ChannelGroup> groups, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return groups.Select(group =>
        {
            using var scope = NewDisposeScope();
            Tensor? total = null;
            foreach (var norm in group.Passthroughs.Select(m => m.Module).OfType<BatchNorm>().Where(b => b.affine))
            {
                var gamma = norm.weight.detach().abs();
                total = total is null ? gamma : total.add(gamma);
            }
            return total?.MoveToOuterDisposeScope();
        }).ToList();
    }
}
