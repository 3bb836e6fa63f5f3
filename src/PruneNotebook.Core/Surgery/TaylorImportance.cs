using PruneNotebook.Core.Data;
using PruneNotebook.Core.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// First-order Taylor (Molchanov et al. 2019): a unit scores the squared first-order estimate of the loss change when
/// it is removed, (Σ w·∂L/∂w)² over its producers' and BatchNorms' parameters, summed over mini-batches of
/// <paramref name="data"/>. Runs in eval mode (running statistics unchanged); the gradients are cleared afterwards.
/// </summary>
/// <param name="data">Labelled examples for the cross-entropy gradients.</param>
/// <param name="batches">Mini-batches to use (≥ 1).</param>
/// <param name="batchSize">Examples per batch (≥ 1).</param>
public sealed class TaylorImportance(TensorDataset data, int batches = 4, int batchSize = 128) : IGroupImportance
{
    private readonly TensorDataset _data = data ?? throw new ArgumentNullException(nameof(data));
    private readonly int _batches = batches >= 1 && batchSize >= 1
        ? batches
        : throw new ArgumentOutOfRangeException(nameof(batches), $"Taylor importance needs at least one batch of at least one example, got {batches} batches of {batchSize}.");

    /// <inheritdoc />
    public string Name => "taylor";

    /// <inheritdoc />
    public IReadOnlyList<Tensor?> Score(nn.Module<Tensor, Tensor> model, IReadOnlyList<ChannelGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(groups);
        var device = TorchDevice.Of(model);
        var totals = groups.Select(g => zeros(g.Size, device: device).DetachFromDisposeScope()).ToArray();
        var wasTraining = model.training;
        model.eval();
        try
        {
            foreach (var (x, y) in _data.Batches(batchSize).Take(_batches))
            {
                using var scope = NewDisposeScope();
                model.zero_grad();
                cross_entropy(model.call(x.to(device)), y.to(device)).backward();
                using var noGrad = no_grad();
                for (var i = 0; i < groups.Count; i++)
                {
                    Tensor? change = null;
                    foreach (var member in groups[i].Members.Where(m => m.Role is MemberRole.Producer or MemberRole.Passthrough))
                        foreach (var (_, rows) in UnitSlices.Of(member, groups[i].Size, map: p => p.grad is null ? zeros_like(p) : p.detach() * p.grad))
                            change = change is null ? rows.sum(1) : change.add_(rows.sum(1));
                    if (change is not null)
                        totals[i].add_(change.pow(2));
                }
            }
        }
        finally
        {
            model.zero_grad();
            model.train(wasTraining);
        }
        return totals;
    }
}
