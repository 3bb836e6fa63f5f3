using static TorchSharp.torch;

namespace PruneNotebook.Core.Persistence;

/// <summary>A module that only holds named buffers, to read a tensor dictionary saved with <c>nn.Module.save_state_dict</c>.</summary>
internal sealed class TensorHolder() : nn.Module(nameof(TensorHolder))
{
    /// <summary>Registers <paramref name="value"/> (the shape to read into) under <paramref name="name"/>.</summary>
    public void Add(string name, Tensor value) => register_buffer(name, value);

    /// <summary>A copy of the buffer <paramref name="name"/> that outlives this holder and any dispose scope.</summary>
    public Tensor Take(string name) => get_buffer(name)!.clone().DetachFromDisposeScope();
}
