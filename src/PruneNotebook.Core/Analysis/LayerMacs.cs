using TorchSharp;
using TorchSharp.Modules;

namespace PruneNotebook.Core.Analysis;

/// <summary>Multiply-accumulate counts of single layers, by layer type.</summary>
internal static class LayerMacs
{
    /// <summary>
    /// MACs of <paramref name="layer"/> producing an output of <paramref name="outputShape"/>:
    /// dense, and counting only the <paramref name="weightNonzero"/> nonzero weight entries.
    /// <c>null</c> for a layer type that is not known. Bias additions are not counted.
    /// </summary>
    public static (long Dense, long Nonzero)? Count(torch.nn.Module layer, long[] outputShape, long weightNonzero)
    {
        var outputElements = outputShape.Aggregate(1L, (a, b) => a * b);
        switch (layer)
        {
            case Linear linear:
            {
                // Every output element is a dot product over in_features; each weight is used once per row.
                var rows = outputElements / Math.Max(1, linear.out_features);
                return (outputElements * linear.in_features, rows * weightNonzero);
            }
            case Convolution conv when !conv.transposed:
            {
                var perOutput = conv.in_channels / conv.groups * conv.kernel_size.Aggregate(1L, (a, b) => a * b);
                // Each weight entry is used once per output position of its output channel.
                var positions = outputElements / Math.Max(1, conv.out_channels);
                return (outputElements * perOutput, positions * weightNonzero);
            }
            case BatchNorm:
                // One multiply-add per element (scale and shift, as folded at inference).
                return (outputElements, outputElements);
            case LayerNorm:
                // One multiply-add per element for the scale and shift (the statistics are not counted, as for BatchNorm).
                return (outputElements, outputElements);
            case Models.ScaledDotProductAttention when outputShape.Length == 3:
            {
                // Output (N, T, H·d): q·kᵀ is N·H·T·T·d and attention·v the same, so 2·N·T·(H·d)·T; no weights to be zero.
                var attention = 2 * outputElements * outputShape[1];
                return (attention, attention);
            }
            case Embedding or Models.PositionalEmbedding:
                // A lookup, and an addition.
                return (0, 0);
            default:
                return IsFree(layer) ? (0, 0) : null;
        }
    }

    /// <summary>Kernel size of convolution and pooling layers, e.g. <c>5×5</c>; <c>null</c> for others.</summary>
    public static string? KernelSize(torch.nn.Module layer) => layer switch
    {
        Convolution conv => Format(conv.kernel_size),
        MaxPool1d pool => pool.kernel_size.ToString(),
        MaxPool2d pool => Format(pool.kernel_size),
        AvgPool1d pool => pool.kernel_size.ToString(),
        AvgPool2d pool => Format(pool.kernel_size),
        _ => null,
    };

    private static string Format(long[] kernel) => string.Join("×", kernel);

    private static bool IsFree(torch.nn.Module layer) => layer is
        ReLU or ReLU6 or LeakyReLU or ELU or GELU or SiLU or Sigmoid or Tanh or Softmax or LogSoftmax or Mish or Hardswish
        or MaxPool1d or MaxPool2d or AvgPool1d or AvgPool2d or AdaptiveAvgPool1d or AdaptiveAvgPool2d or AdaptiveMaxPool1d or AdaptiveMaxPool2d
        or Flatten or Unflatten or Dropout or Dropout1d or Dropout2d or AlphaDropout or Identity;
}
