using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Initialization;

/// <summary>
/// Xavier/Glorot normal (Glorot &amp; Bengio 2010): N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out)).
/// (TorchSharp 0.107's <c>nn.init.xavier_normal_</c> draws uniformly instead; this draws from the normal.)
/// </summary>
/// <param name="Gain">Scale for the following activation, e.g. 5/3 for tanh (&gt; 0).</param>
/// <exception cref="ArgumentException">The gain is not positive.</exception>
public sealed record XavierNormal(double Gain = 1) : IWeightInitializer
{
    /// <summary>Scale for the following activation.</summary>
    public double Gain { get; } = Fans.Gain(Gain, nameof(Gain));

    /// <inheritdoc />
    public int MinimumDimensions => 2;

    /// <summary>The standard deviation σ for <paramref name="weight"/>.</summary>
    public double Std(Tensor weight)
    {
        var (fanIn, fanOut) = Fans.Of(weight);
        return Gain * Math.Sqrt(2.0 / (fanIn + fanOut));
    }

    /// <inheritdoc />
    public void Fill(Tensor weight, Generator generator) => weight.normal_(0, Std(weight), generator);

    /// <inheritdoc />
    public string Describe() => Gain == 1 ? "xavier-normal" : $"xavier-normal(gain {Fans.Number(Gain)})";
}
