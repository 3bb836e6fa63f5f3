using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Initialization;

/// <summary>All weights zero. Every unit of a layer then computes the same thing and receives the same gradient, so
/// they never differentiate: useful as a baseline showing why random initialization matters.</summary>
public sealed record Zeros : IWeightInitializer
{
    /// <inheritdoc />
    public int MinimumDimensions => 1;

    /// <inheritdoc />
    public void Fill(Tensor weight, Generator generator) => weight.zero_();

    /// <inheritdoc />
    public string Describe() => "zeros";
}
