using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Regularization;

/// <summary>
/// L2 (ridge) penalty (λ/2)·Σw² over the selected parameters. Its gradient is λ·w, exactly what an optimizer's
/// <c>weight_decay=λ</c> adds (coupled decay, <see cref="TrainerOptions.WeightDecay"/> for SGD, RMSprop, AdaGrad, Adam),
/// but here it is restricted to the selected parameters (by default weights, not biases) and reported as a loss term.
/// The decoupled alternative is the <c>adamw</c> optimizer with <see cref="TrainerOptions.WeightDecay"/>.
/// </summary>
/// <param name="Lambda">λ, the strength (≥ 0).</param>
/// <exception cref="ArgumentException">λ is negative or not finite.</exception>
public sealed record L2Regularizer(double Lambda) : IRegularizer
{
    /// <summary>λ, the strength.</summary>
    public double Lambda { get; } = Penalties.Strength(Lambda, nameof(Lambda), "L2 strength λ");

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No parameters.</exception>
    public Tensor Penalty(IReadOnlyList<Tensor> parameters) => Penalties.Sum(parameters, Penalties.SquaredSum, Lambda / 2);

    /// <inheritdoc />
    public string Describe() => $"l2({Penalties.Number(Lambda)})";
}
