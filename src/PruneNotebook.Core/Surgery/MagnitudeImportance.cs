using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Magnitude (Li et al. 2017, "Pruning filters for efficient ConvNets"): a unit scores the Lp norm of its producers'
/// weights (filter or weight row, bias included), summed over the producers of its group.
/// </summary>
/// <param name="p">1 (L1) or 2 (L2).</param>
public sealed class MagnitudeImportance(int p = 1) : IGroupImportance
{
    /// <summary>The norm order.</summary>
    public int P { get; } = p is 1 or 2 ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "The magnitude criterion takes p = 1 (L1) or 2 (L2).");

    /// <inheritdoc />
    public string Name => P == 1 ? "l1" : "l2";

    /// <inheritdoc />
    public IReadOnlyList<Tensor?> Score(nn.Module<Tensor, Tensor> model, IReadOnlyList<ChannelGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var scores = new List<Tensor?>(groups.Count);
        foreach (var group in groups)
        {
            using var scope = NewDisposeScope();
            Tensor? total = null;
            foreach (var producer in group.Producers)
                foreach (var (_, rows) in UnitSlices.Of(producer, group.Size))
                {
                    var norm = P == 1 ? rows.abs().sum(1) : rows.pow(2).sum(1);
                    total = total is null ? norm : total.add_(norm);
                }
            scores.Add(total is null ? null : (P == 2 ? total.sqrt() : total).MoveToOuterDisposeScope());
        }
        return scores;
    }
}
