using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Regularization;

/// <summary>
/// L1 (lasso) penalty λ·Σ|w| over the selected parameters. Its subgradient λ·sign(w) pulls every weight towards zero
/// at the same speed, so small weights reach (and hover around) zero: sparse weights that magnitude pruning removes
/// at little cost.
/// </summary>
/// <param name="Lambda">λ, the strength (≥ 0).</param>
/// <exception cref="ArgumentException">λ is negative or not finite.</exception>
public sealed record L1Regularizer(double Lambda) : IRegularizer
{
    /// <summary>λ, the strength.</summary>
    public double Lambda { get; } = Penalties.Strength(Lambda, nameof(Lambda), "L1 strength λ");

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No parameters.</exception>
    public Tensor Penalty(IReadOnlyList<Tensor> parameters) => Penalties.Sum(parameters, Penalties.AbsoluteSum, Lambda);

    /// <inheritdoc />
    public string Describe() => $"l1({Penalties.Number(Lambda)})";
}
