using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Initialization;

/// <summary>Fan-in, fan-out and gains as PyTorch's <c>torch.nn.init</c> computes them.</summary>
internal static class Fans
{
    /// <summary>(in · receptive field, out · receptive field) of a weight (out, in, *kernel).</summary>
    public static (long In, long Out) Of(Tensor weight)
    {
        if (weight.dim() < 2)
            throw new ArgumentException($"Fan-in and fan-out need a weight of at least 2 dimensions, got shape [{string.Join(", ", weight.shape)}].", nameof(weight));
        var receptive = weight.shape.Skip(2).Aggregate(1L, (a, b) => a * b);
        return (weight.shape[1] * receptive, weight.shape[0] * receptive);
    }

    public static double Gain(Nonlinearity nonlinearity, double negativeSlope) => nonlinearity switch
    {
        Nonlinearity.ReLU => Math.Sqrt(2),
        Nonlinearity.LeakyReLU => Math.Sqrt(2 / (1 + negativeSlope * negativeSlope)),
        Nonlinearity.Tanh => 5.0 / 3,
        _ => 1,
    };

    public static double Gain(double gain, string name) =>
        gain > 0 && double.IsFinite(gain) ? gain : throw new ArgumentException($"Initialization gain must be a positive number, got {gain}.", name);

    public static string Number(double value) => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture).ToLowerInvariant();

    public static string Kebab(Nonlinearity nonlinearity) => nonlinearity switch
    {
        Nonlinearity.ReLU => "relu",
        Nonlinearity.LeakyReLU => "leaky-relu",
        Nonlinearity.Tanh => "tanh",
        Nonlinearity.Sigmoid => "sigmoid",
        _ => "linear",
    };
}
