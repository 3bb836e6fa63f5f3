using PruneNotebook.Core.Runtime;
using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PruneNotebook.Core.Scoring;

/// <summary>
/// First-order Taylor (Molchanov et al. 2019): the squared first-order estimate of the loss change when something is
/// removed, from the cross-entropy gradients of mini-batches of the context's data, summed over the batches. An entry
/// scores (w·∂L/∂w)²; a unit of a parameter (Σ w·∂L/∂w)² over its slice; a unit of a channel group (Σ w·∂L/∂w)² over
/// its producers' and BatchNorms' parameters. Runs in eval mode (running statistics unchanged); the model's gradients
/// are cleared afterwards. Needs data (<see cref="ScoringContext.Data"/>) and a model that maps a batch to logits.
/// </summary>
/// <param name="batches">Mini-batches to use (≥ 1).</param>
/// <param name="batchSize">Examples per batch (≥ 1).</param>
public sealed class TaylorCriterion(int batches = 4, int batchSize = 128) : IEntryCriterion, IUnitCriterion, IGroupCriterion
{
    private readonly int _batches = batches >= 1 && batchSize >= 1
        ? batches
        : throw new ArgumentOutOfRangeException(nameof(batches), $"Taylor importance needs at least one batch of at least one example, got {batches} batches of {batchSize}.");

    /// <inheritdoc />
    public string Name => "taylor";

    /// <inheritdoc />
    public Tensor ScoreEntries(Tensor parameter, string name, ScoringContext context) =>
        Accumulate(context, parameter, change => change.pow(2));

    /// <inheritdoc />
    public Tensor ScoreUnits(Tensor parameter, string name, int dim, ScoringContext context) =>
        Accumulate(context, parameter, change =>
        {
            var moved = change.movedim([dim], [0L]);
            return moved.reshape(moved.shape[0], -1).sum(1).pow(2);
        });

    /// <inheritdoc />
    public IReadOnlyList<Tensor?> ScoreGroups(IReadOnlyList<ChannelGroup> groups, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var network = context.Network(this);
        var device = TorchDevice.Of(network);
        var totals = groups.Select(g => zeros(g.Size, device: device).DetachFromDisposeScope()).ToArray();
        Batches(context, () =>
        {
            for (var i = 0; i < groups.Count; i++)
            {
                Tensor? change = null;
                foreach (var member in groups[i].Members.Where(m => m.Role is MemberRole.Producer or MemberRole.Passthrough))
                    foreach (var (_, rows) in UnitSlices.Of(member, groups[i].Size, map: p => p.grad is null ? zeros_like(p) : p.detach() * p.grad))
                        change = change is null ? rows.sum(1) : change.add_(rows.sum(1));
                if (change is not null)
                    totals[i].add_(change.pow(2));
            }
        });
        return totals;
    }

    /// <summary>Sums <paramref name="score"/> of the parameter's w·∂L/∂w over the batches.</summary>
    private Tensor Accumulate(ScoringContext context, Tensor parameter, Func<Tensor, Tensor> score)
    {
        Tensor? total = null;
        Batches(context, () =>
        {
            var batch = score(parameter.grad is null ? zeros_like(parameter) : parameter.detach() * parameter.grad);
            if (total is null)
                total = batch.DetachFromDisposeScope();
            else
                total.add_(batch);
        });
        return total ?? throw new ArgumentException($"The taylor criterion found no batch in the data to measure on.");
    }

    /// <summary>Runs <paramref name="afterBackward"/> (without gradients, in a dispose scope) after each batch's backward pass.</summary>
    private void Batches(ScoringContext context, Action afterBackward)
    {
        var network = context.Network(this);
        var data = context.RequireData(this, "gradients of the loss");
        var device = TorchDevice.Of(network);
        var wasTraining = network.training;
        network.eval();
        try
        {
            foreach (var (x, y) in data.Batches(batchSize).Take(_batches))
            {
                using var scope = NewDisposeScope();
                network.zero_grad();
                cross_entropy(network.call(x.to(device)), y.to(device)).backward();
                using var noGrad = no_grad();
                afterBackward();
            }
        }
        finally
        {
            network.zero_grad();
            network.train(wasTraining);
        }
    }
}
