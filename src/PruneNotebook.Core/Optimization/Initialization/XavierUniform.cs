using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Initialization;

/// <summary>
/// Xavier/Glorot uniform (Glorot &amp; Bengio 2010): U(−b, b) with b = gain·√(6 / (fan_in + fan_out)), i.e. standard
/// deviation gain·√(2 / (fan_in + fan_out)). Suits tanh/sigmoid/linear layers.
/// </summary>
/// <param name="Gain">Scale for the following activation, e.g. 5/3 for tanh (&gt; 0).</param>
/// <exception cref="ArgumentException">The gain is not positive.</exception>
public sealed record XavierUniform(double Gain = 1) : IWeightInitializer
{
    /// <summary>Scale for the following activation.</summary>
    public double Gain { get; } = Fans.Gain(Gain, nameof(Gain));

    /// <inheritdoc />
    public int MinimumDimensions => 2;

    /// <summary>The bound b for <paramref name="weight"/>.</summary>
    public double Bound(Tensor weight)
    {
        var (fanIn, fanOut) = Fans.Of(weight);
        return Gain * Math.Sqrt(6.0 / (fanIn + fanOut));
    }

    /// <inheritdoc />
    public void Fill(Tensor weight, Generator generator)
    {
        var bound = Bound(weight);
        weight.uniform_(-bound, bound, generator);
    }

    /// <inheritdoc />
    public string Describe() => Gain == 1 ? "xavier-uniform" : $"xavier-uniform(gain {Fans.Number(Gain)})";
}
