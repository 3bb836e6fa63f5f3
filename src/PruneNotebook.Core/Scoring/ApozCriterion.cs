using PruneNotebook.Core.Runtime;
using PruneNotebook.Core.Surgery;
using ReLU = TorchSharp.Modules.ReLU;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Scoring;

/// <summary>
/// APoZ, activation pruning (Hu et al. 2016, "Network trimming"): the average percentage of zeros of a unit's post-ReLU
/// output over the context's data. A unit scores 1 − APoZ, so the units that are most often zero go first. It scores
/// units of channel groups, and so the output units (dim 0) of a layer in structured pruning; groups whose units pass
/// through no ReLU cannot be scored and stay whole. A ReLU called in several places counts, for each group, only the
/// call its units pass through (<see cref="GroupMember.Call"/>). Single weights have no activation of their own, so it
/// does not score entries. Runs in eval mode without gradients.
/// </summary>
/// <param name="batches">Mini-batches to use (≥ 1).</param>
/// <param name="batchSize">Examples per batch (≥ 1).</param>
public sealed class ApozCriterion(int batches = 8, int batchSize = 256) : IGroupCriterion
{
    private readonly int _batches = batches >= 1 && batchSize >= 1
        ? batches
        : throw new ArgumentOutOfRangeException(nameof(batches), $"APoZ needs at least one batch of at least one example, got {batches} batches of {batchSize}.");

    /// <inheritdoc />
    public string Name => "apoz";

    /// <inheritdoc />
    public IReadOnlyList<Tensor?> ScoreGroups(IReadOnlyList<ChannelGroup> groups, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(context);
        var model = context.Network(this);
        var data = context.RequireData(this, "how often each unit is zero after its ReLU");
        var device = TorchDevice.Of(model);
        var zeroCounts = new Tensor?[groups.Count];
        var positions = new double[groups.Count];
        var calls = new int[groups.Count]; // calls of each group's ReLU in the current batch: a shared ReLU serves several groups, one call each
        var removers = new List<Action>();
        var wasTraining = model.training;
        try
        {
            for (var i = 0; i < groups.Count; i++)
            {
                var index = i;
                var member = groups[i].Members.FirstOrDefault(m => m.Role == MemberRole.Activation && m.Module is ReLU);
                if (member?.Module is not ReLU relu)
                    continue;
                var call = member.Call;
                zeroCounts[i] = zeros(groups[i].Size, device: device).DetachFromDisposeScope();
                removers.Add(relu.register_forward_hook((_, _, output) =>
                {
                    if (calls[index]++ != call || output.dim() < 2 || output.shape[1] != groups[index].Size)
                        return output;
                    using var scope = NewDisposeScope();
                    var perUnit = output.eq(0).movedim([1L], [0L]).reshape(groups[index].Size, -1);
                    zeroCounts[index]!.add_(perUnit.sum(1, type: ScalarType.Float32));
                    positions[index] += perUnit.shape[1];
                    return output;
                }).remove);
            }
            model.eval();
            using var noGrad = no_grad();
            foreach (var (x, _) in data.Batches(batchSize).Take(_batches))
            {
                using var scope = NewDisposeScope();
                Array.Clear(calls);
                model.call(x.to(device));
            }
        }
        finally
        {
            foreach (var remove in removers)
                remove();
            model.train(wasTraining);
        }
        return zeroCounts.Select((count, i) => count is null || positions[i] == 0 ? null : count.div_(-positions[i]).add_(1)).ToList();
    }
}
