using static TorchSharp.torch;

namespace PruneNotebook.Core.Persistence;

/// <summary>A copy of a model's parameters and buffers, to put back when a load fails half-way.</summary>
internal sealed class StateBackup : IDisposable
{
    private readonly List<(string Name, Tensor Value)> _values;

    private StateBackup(List<(string, Tensor)> values) => _values = values;

    public static StateBackup Take(nn.Module model)
    {
        using var noGrad = no_grad();
        return new StateBackup(model.state_dict().Select(kv => (kv.Key, kv.Value.detach().clone().DetachFromDisposeScope())).ToList());
    }

    public void Restore(nn.Module model)
    {
        using var noGrad = no_grad();
        var state = model.state_dict();
        foreach (var (name, value) in _values)
            if (state.TryGetValue(name, out var target) && target.shape.SequenceEqual(value.shape))
                target.copy_(value);
    }

    public void Dispose()
    {
        foreach (var (_, value) in _values)
            value.Dispose();
    }
}
