using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Initialization;

/// <summary>Every weight set to <see cref="Value"/> (a symmetric baseline, like <see cref="Zeros"/>).</summary>
/// <param name="Value">The value (finite).</param>
/// <exception cref="ArgumentException">The value is not finite.</exception>
public sealed record Constant(double Value) : IWeightInitializer
{
    /// <summary>The value.</summary>
    public double Value { get; } = double.IsFinite(Value) ? Value : throw new ArgumentException($"Constant initialization needs a finite value, got {Value}.", nameof(Value));

    /// <inheritdoc />
    public int MinimumDimensions => 1;

    /// <inheritdoc />
    public void Fill(Tensor weight, Generator generator) => weight.fill_(Value);

    /// <inheritdoc />
    public string Describe() => $"constant({Fans.Number(Value)})";
}
