using PruneNotebook.Core.Runtime;
using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// The random baseline for surgery: uniform scores per unit from a generator seeded with <paramref name="seed"/>, drawn
/// on the CPU and moved to the model's device, so every device removes the same units.
/// </summary>
internal sealed class RandomUnitImportance(long seed) : IGroupImportance, IDisposable
{
    private readonly Generator _generator = new((ulong)seed);

    public string Name => "random";

    public IReadOnlyList<Tensor?> Score(nn.Module<Tensor, Tensor> model, IReadOnlyList<ChannelGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var device = TorchDevice.Of(model);
        var scores = new List<Tensor?>(groups.Count);
        foreach (var group in groups)
        {
            using var cpu = rand([group.Size], generator: _generator);
            scores.Add(cpu.to(device));
        }
        return scores;
    }

    public void Dispose() => _generator.Dispose();
}
