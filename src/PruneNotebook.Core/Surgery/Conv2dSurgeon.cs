using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Removes filters (output channels: weight dimension 0 and bias) and input channels (weight dimension 1) of a
/// <see cref="Conv2d"/>. Grouped and depthwise convolutions are not supported.
/// </summary>
public sealed class Conv2dSurgeon : LayerSurgeon<Conv2d>
{
    /// <inheritdoc />
    public override bool IsPassthrough => false;

    /// <inheritdoc />
    protected override string? Unsupported(Conv2d module) =>
        module.groups != 1 ? $"it is a grouped convolution (groups = {module.groups})"
        : module.transposed ? "it is a transposed convolution"
        : null;

    /// <inheritdoc />
    protected override long OutputUnits(Conv2d module) => module.out_channels;

    /// <inheritdoc />
    protected override long InputFeatures(Conv2d module) => module.in_channels;

    /// <inheritdoc />
    protected override IReadOnlyList<(string Name, int Dim)> OutputSlices(Conv2d module) =>
        module.bias is null ? [("weight", 0)] : [("weight", 0), ("bias", 0)];

    /// <inheritdoc />
    protected override IReadOnlyList<(string Name, int Dim)> InputSlices(Conv2d module) => [("weight", 1)];

    /// <inheritdoc />
    protected override Conv2d Shrink(Conv2d module, Tensor? keptOutputs, Tensor? keptInputs)
    {
        var weight = Select(Select(module.weight, 0, keptOutputs), 1, keptInputs);
        var result = Like(module, weight.shape[1], weight.shape[0], module.bias is not null);
        CopyInto(result.weight, weight);
        if (module.bias is not null)
            CopyInto(result.bias!, Select(module.bias, 0, keptOutputs));
        return result;
    }

    /// <summary>A new convolution configured as <paramref name="module"/> (kernel, stride, padding, dilation, groups, device, dtype) with other channel counts.</summary>
    internal static Conv2d Like(Conv2d module, long inputs, long outputs, bool hasBias)
    {
        var kernel = (module.kernel_size[0], module.kernel_size[1]);
        var stride = (module.stride[0], module.stride[1]);
        var dilation = (module.dilation[0], module.dilation[1]);
        var (device, dtype) = (module.weight!.device, module.weight.dtype);
        return module.padding_type is { } padding
            ? nn.Conv2d(inputs, outputs, kernel, padding, stride, dilation, module.padding_mode, module.groups, hasBias, device, dtype)
            : nn.Conv2d(inputs, outputs, kernel, stride, (module.padding![0], module.padding[1]), dilation, module.padding_mode, module.groups, hasBias, device, dtype);
    }
}
