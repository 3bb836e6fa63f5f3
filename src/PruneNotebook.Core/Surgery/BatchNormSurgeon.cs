using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Removes channels of a batch normalisation layer: the scale and shift (when affine) and the running statistics
/// (when tracked). Eps, momentum and the count of tracked batches are carried over.
/// </summary>
/// <typeparam name="TNorm">The concrete BatchNorm type.</typeparam>
public abstract class BatchNormSurgeon<TNorm> : LayerSurgeon<TNorm> where TNorm : BatchNorm
{
    /// <inheritdoc />
    public sealed override bool IsPassthrough => true;

    /// <summary>Creates an empty layer of the concrete type with <paramref name="features"/> channels on the source's device (its dtype is applied afterwards).</summary>
    /// <param name="features">Channels.</param>
    /// <param name="source">The layer being shrunk, for its settings (eps, affine, tracking, device).</param>
    protected abstract TNorm Create(long features, TNorm source);

    /// <inheritdoc />
    protected sealed override long OutputUnits(TNorm module) => module.num_features;

    /// <inheritdoc />
    protected sealed override long InputFeatures(TNorm module) => module.num_features;

    /// <inheritdoc />
    protected sealed override IReadOnlyList<(string Name, int Dim)> OutputSlices(TNorm module) =>
        (module.affine ? new[] { ("weight", 0), ("bias", 0) } : [])
        .Concat(module.track_running_stats ? new[] { ("running_mean", 0), ("running_var", 0) } : [])
        .ToList();

    /// <inheritdoc />
    protected sealed override IReadOnlyList<(string Name, int Dim)> InputSlices(TNorm module) => [];

    /// <inheritdoc />
    protected sealed override TNorm Shrink(TNorm module, Tensor? keptOutputs, Tensor? keptInputs)
    {
        var features = keptOutputs?.shape[0] ?? module.num_features;
        var result = Create(features, module);
        // Created in the default dtype, then converted: passing a dtype to the factory would also turn the int64 batch count into it.
        if ((result.running_mean ?? (result.affine ? result.weight : null)) is { } created && created.dtype != DtypeOf(module))
            result.to(DtypeOf(module));
        result.momentum = module.momentum;
        if (module.affine)
        {
            CopyInto(result.weight, Select(module.weight, 0, keptOutputs));
            CopyInto(result.bias!, Select(module.bias!, 0, keptOutputs));
        }
        if (module.track_running_stats)
        {
            CopyInto(result.running_mean!, Select(module.running_mean!, 0, keptOutputs));
            CopyInto(result.running_var!, Select(module.running_var!, 0, keptOutputs));
            CopyInto(result.num_batches_tracked!, module.num_batches_tracked!);
        }
        return result;
    }

    /// <summary>The device of <paramref name="module"/>'s statistics or parameters.</summary>
    /// <param name="module">The layer.</param>
    protected static Device DeviceOf(TNorm module) => (module.running_mean ?? module.weight).device;

    /// <summary>The dtype of <paramref name="module"/>'s statistics or parameters.</summary>
    /// <param name="module">The layer.</param>
    protected static ScalarType DtypeOf(TNorm module) => (module.running_mean ?? module.weight).dtype;
}
