using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Initialization;

/// <summary>
/// Kaiming/He uniform (He et al. 2015): U(−b, b) with b = √3·gain/√fan, the fan chosen by <see cref="Mode"/> and the
/// gain by <see cref="Nonlinearity"/>. With the defaults (fan-in, ReLU) this is PyTorch's
/// <c>kaiming_uniform_(w, nonlinearity='relu')</c>.
/// </summary>
/// <param name="Mode">Fan-in (forward variance, default) or fan-out (backward variance).</param>
/// <param name="Nonlinearity">The activation after the layer.</param>
/// <param name="NegativeSlope">The slope a of a leaky ReLU (≥ 0; used only for <see cref="Initialization.Nonlinearity.LeakyReLU"/>).</param>
/// <exception cref="ArgumentException">The slope is negative.</exception>
public sealed record KaimingUniform(FanMode Mode = FanMode.FanIn, Nonlinearity Nonlinearity = Nonlinearity.ReLU, double NegativeSlope = 0.01) : IWeightInitializer
{
    /// <summary>The slope of a leaky ReLU.</summary>
    public double NegativeSlope { get; } = NegativeSlope >= 0 && double.IsFinite(NegativeSlope)
        ? NegativeSlope
        : throw new ArgumentException($"Leaky ReLU slope must be zero or positive, got {NegativeSlope}.", nameof(NegativeSlope));

    /// <inheritdoc />
    public int MinimumDimensions => 2;

    /// <summary>The bound b for <paramref name="weight"/>.</summary>
    public double Bound(Tensor weight) => Math.Sqrt(3) * KaimingNormal.StdOf(weight, Mode, Nonlinearity, NegativeSlope);

    /// <inheritdoc />
    public void Fill(Tensor weight, Generator generator)
    {
        var bound = Bound(weight);
        weight.uniform_(-bound, bound, generator);
    }

    /// <inheritdoc />
    public string Describe() => $"kaiming-uniform({(Mode == FanMode.FanIn ? "fan-in" : "fan-out")}, {Fans.Kebab(Nonlinearity)})";
}
