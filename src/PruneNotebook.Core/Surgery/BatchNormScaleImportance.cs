using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Network slimming (Liu et al. 2017): a unit scores |γ|, the scale of the BatchNorm it passes through (summed when a
/// residual group has several). Groups without an affine BatchNorm cannot be scored and stay whole.
/// </summary>
public sealed class BatchNormScaleImportance : IGroupImportance
{
    /// <inheritdoc />
    public string Name => "bn";

    /// <inheritdoc />
    public IReadOnlyList<Tensor?> Score(nn.Module<Tensor, Tensor> model, IReadOnlyList<ChannelGroup> groups)
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
