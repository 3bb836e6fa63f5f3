using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Initialization;

/// <summary>
/// Kaiming/He normal (He et al. 2015): N(0, σ²) with σ = gain/√fan, the fan chosen by <see cref="Mode"/> and the gain
/// by <see cref="Nonlinearity"/> (√2 for ReLU). With the defaults (fan-in, ReLU) this is PyTorch's
/// <c>kaiming_normal_(w, nonlinearity='relu')</c>.
/// </summary>
/// <param name="Mode">Fan-in (forward variance, default) or fan-out (backward variance).</param>
/// <param name="Nonlinearity">The activation after the layer.</param>
/// <param name="NegativeSlope">The slope a of a leaky ReLU (≥ 0; used only for <see cref="Initialization.Nonlinearity.LeakyReLU"/>).</param>
/// <exception cref="ArgumentException">The slope is negative.</exception>
public sealed record KaimingNormal(FanMode Mode = FanMode.FanIn, Nonlinearity Nonlinearity = Nonlinearity.ReLU, double NegativeSlope = 0.01) : IWeightInitializer
{
    /// <summary>The slope of a leaky ReLU.</summary>
    public double NegativeSlope { get; } = NegativeSlope >= 0 && double.IsFinite(NegativeSlope)
        ? NegativeSlope
        : throw new ArgumentException($"Leaky ReLU slope must be zero or positive, got {NegativeSlope}.", nameof(NegativeSlope));

    /// <inheritdoc />
    public int MinimumDimensions => 2;

    /// <summary>The standard deviation σ for <paramref name="weight"/>.</summary>
    public double Std(Tensor weight) => StdOf(weight, Mode, Nonlinearity, NegativeSlope);

    internal static double StdOf(Tensor weight, FanMode mode, Nonlinearity nonlinearity, double slope)
    {
        var (fanIn, fanOut) = Fans.Of(weight);
        return Fans.Gain(nonlinearity, slope) / Math.Sqrt(mode == FanMode.FanIn ? fanIn : fanOut);
    }

    /// <inheritdoc />
    public void Fill(Tensor weight, Generator generator) => weight.normal_(0, Std(weight), generator);

    /// <inheritdoc />
    public string Describe() => $"kaiming-normal({(Mode == FanMode.FanIn ? "fan-in" : "fan-out")}, {Fans.Kebab(Nonlinearity)})";
}
