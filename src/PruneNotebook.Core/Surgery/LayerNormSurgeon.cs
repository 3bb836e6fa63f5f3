using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Removes features of a <see cref="LayerNorm"/> over the last dimension: its scale and shift entries. A LayerNorm
/// carries each unit through (a passthrough), but it normalises over all of them, so removing units changes the
/// others' values: <see cref="NetworkSurgery.Trim"/> never trims its group, and <see cref="NetworkSurgery.Compress"/>
/// cuts it only when asked to cut normalised groups (<see cref="CompressionOptions.NormalizedGroups"/>).
/// </summary>
public sealed class LayerNormSurgeon : LayerSurgeon<LayerNorm>
{
    /// <inheritdoc />
    public override bool IsPassthrough => true;

    /// <inheritdoc />
    public override bool UnitsLast => true;

    /// <inheritdoc />
    protected override string? Unsupported(LayerNorm module) =>
        module.normalized_shape.Length != 1 ? $"it normalises over {module.normalized_shape.Length} dimensions, not only the last" : null;

    /// <inheritdoc />
    protected override long OutputUnits(LayerNorm module) => module.normalized_shape[^1];

    /// <inheritdoc />
    protected override long InputFeatures(LayerNorm module) => module.normalized_shape[^1];

    /// <inheritdoc />
    protected override IReadOnlyList<(string Name, int Dim)> OutputSlices(LayerNorm module) =>
        module.weight is null ? [] : module.bias is null ? [("weight", 0)] : [("weight", 0), ("bias", 0)];

    /// <inheritdoc />
    protected override IReadOnlyList<(string Name, int Dim)> InputSlices(LayerNorm module) => [];

    /// <inheritdoc />
    protected override LayerNorm Shrink(LayerNorm module, Tensor? keptOutputs, Tensor? keptInputs)
    {
        var features = keptOutputs?.shape[0] ?? module.normalized_shape[^1];
        var reference = module.weight ?? module.bias;
        var result = nn.LayerNorm([features], module.eps, module.weight is not null, module.bias is not null, reference?.device, reference?.dtype);
        if (module.weight is not null)
            CopyInto(result.weight!, Select(module.weight, 0, keptOutputs));
        if (module.bias is not null)
            CopyInto(result.bias!, Select(module.bias, 0, keptOutputs));
        return result;
    }
}
