using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Removes filters (output channels: weight dimension 0 and bias) and input channels (weight dimension 1) of a
/// <see cref="Conv2d"/>. A depthwise convolution (groups = input channels = output channels) filters each channel
/// on its own, so it couples its input and output channels: it carries units through like a BatchNorm, and removing
/// channel k removes its filter (and bias entry), with the group count following. Other grouped convolutions
/// (several channels per group, or a channel multiplier) are refused.
/// </summary>
public sealed class Conv2dSurgeon : LayerSurgeon<Conv2d>
{
    /// <inheritdoc />
    public override bool IsPassthrough => false;

    /// <inheritdoc />
    public override bool CarriesUnits(nn.Module module) => module is Conv2d conv && IsDepthwise(conv);

    /// <inheritdoc />
    protected override string? Unsupported(Conv2d module) =>
        module.transposed ? "it is a transposed convolution"
        : module.groups != 1 && !IsDepthwise(module)
            ? $"it is a grouped convolution (groups = {module.groups}, {module.in_channels / module.groups} input and {module.out_channels / module.groups} output channels per group); only dense and depthwise convolutions can be cut"
        : null;

    /// <summary>Whether <paramref name="module"/> filters each channel on its own (groups = input = output channels, more than one).</summary>
    /// <param name="module">A convolution.</param>
    public static bool IsDepthwise(Conv2d module) => module.groups > 1 && module.groups == module.in_channels && module.groups == module.out_channels;

    /// <inheritdoc />
    protected override long OutputUnits(Conv2d module) => module.out_channels;

    /// <inheritdoc />
    protected override long InputFeatures(Conv2d module) => module.in_channels;

    /// <inheritdoc />
    protected override IReadOnlyList<(string Name, int Dim)> OutputSlices(Conv2d module) =>
        module.bias is null ? [("weight", 0)] : [("weight", 0), ("bias", 0)];

    /// <inheritdoc />
    protected override IReadOnlyList<(string Name, int Dim)> InputSlices(Conv2d module) => IsDepthwise(module) ? [] : [("weight", 1)];

    /// <inheritdoc />
    protected override Conv2d Shrink(Conv2d module, Tensor? keptOutputs, Tensor? keptInputs)
    {
        var depthwise = IsDepthwise(module);
        var weight = depthwise ? Select(module.weight!, 0, keptOutputs) : Select(Select(module.weight!, 0, keptOutputs), 1, keptInputs);
        var result = depthwise
            ? Like(module, weight.shape[0], weight.shape[0], module.bias is not null, weight.shape[0])
            : Like(module, weight.shape[1], weight.shape[0], module.bias is not null);
        CopyInto(result.weight, weight);
        if (module.bias is not null)
            CopyInto(result.bias!, Select(module.bias, 0, keptOutputs));
        return result;
    }

    /// <summary>A new convolution configured as <paramref name="module"/> (kernel, stride, padding, dilation, groups, device, dtype) with other channel counts.</summary>
    internal static Conv2d Like(Conv2d module, long inputs, long outputs, bool hasBias, long? groups = null)
    {
        var g = groups ?? module.groups;
        var kernel = (module.kernel_size[0], module.kernel_size[1]);
        var stride = (module.stride[0], module.stride[1]);
        var dilation = (module.dilation[0], module.dilation[1]);
        var (device, dtype) = (module.weight!.device, module.weight.dtype);
        return module.padding_type is { } padding
            ? nn.Conv2d(inputs, outputs, kernel, padding, stride, dilation, module.padding_mode, g, hasBias, device, dtype)
            : nn.Conv2d(inputs, outputs, kernel, stride, (module.padding![0], module.padding[1]), dilation, module.padding_mode, g, hasBias, device, dtype);
    }
}
