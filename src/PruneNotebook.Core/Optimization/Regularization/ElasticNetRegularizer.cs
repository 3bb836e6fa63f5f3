using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Regularization;

/// <summary>
/// Elastic Net penalty in scikit-learn's form, α·(ρ·Σ|w| + (1 − ρ)/2·Σw²), with ρ the l1 ratio: ρ = 1 is
/// <see cref="L1Regularizer"/>(α), ρ = 0 is <see cref="L2Regularizer"/>(α). Sparse like L1 while sharing weight among
/// correlated inputs like L2.
/// </summary>
/// <param name="Alpha">α, the overall strength (≥ 0).</param>
/// <param name="L1Ratio">ρ, the share of the L1 term, in [0, 1].</param>
/// <exception cref="ArgumentException">α is negative or ρ is outside [0, 1].</exception>
public sealed record ElasticNetRegularizer(double Alpha, double L1Ratio = 0.5) : IRegularizer
{
    /// <summary>α, the overall strength.</summary>
    public double Alpha { get; } = Penalties.Strength(Alpha, nameof(Alpha), "Elastic Net strength α");

    /// <summary>ρ, the share of the L1 term.</summary>
    public double L1Ratio { get; } = L1Ratio is >= 0 and <= 1
        ? L1Ratio
        : throw new ArgumentException($"Elastic Net l1 ratio must be in [0, 1], got {L1Ratio}.", nameof(L1Ratio));

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No parameters.</exception>
    public Tensor Penalty(IReadOnlyList<Tensor> parameters) =>
        Penalties.Sum(parameters, p => Penalties.AbsoluteSum(p).mul(L1Ratio).add(Penalties.SquaredSum(p).mul((1 - L1Ratio) / 2)), Alpha);

    /// <inheritdoc />
    public string Describe() => $"elastic-net(α={Penalties.Number(Alpha)}, l1-ratio={Penalties.Number(L1Ratio)})";
}
