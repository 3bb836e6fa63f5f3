using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Regularization;

/// <summary>
/// Group lasso over output units: λ·Σ_g √|g|·‖w_g‖₂, where the groups of a parameter are its slices along dim 0 — the
/// rows (output neurons) of a Linear weight (out, in), the filters of a Conv2d weight (out, in, kh, kw) — and |g| is
/// the size of a group. It drives whole neurons and filters to zero together, the structured sparsity that channel
/// pruning then removes (Yuan &amp; Lin 2006; Wen et al. 2016). A 1-D parameter (a bias) has groups of one entry, so
/// for it the penalty is L1. The gradient of an all-zero group is taken as zero.
/// </summary>
/// <param name="Lambda">λ, the strength (≥ 0).</param>
/// <exception cref="ArgumentException">λ is negative or not finite.</exception>
public sealed record GroupLassoRegularizer(double Lambda) : IRegularizer
{
    /// <summary>λ, the strength.</summary>
    public double Lambda { get; } = Penalties.Strength(Lambda, nameof(Lambda), "Group lasso strength λ");

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No parameters.</exception>
    public Tensor Penalty(IReadOnlyList<Tensor> parameters) => Penalties.Sum(parameters, GroupNorms, Lambda);

    /// <summary>√|g|·Σ_g ‖w_g‖₂ of one parameter, groups along dim 0.</summary>
    private static Tensor GroupNorms(Tensor parameter)
    {
        var groups = parameter.dim() == 0 ? 1 : parameter.shape[0];
        var groupSize = parameter.numel() / Math.Max(groups, 1);
        return linalg.vector_norm(parameter.reshape(groups, -1), 2, dims: [1]).sum().mul(Math.Sqrt(groupSize));
    }

    /// <inheritdoc />
    public string Describe() => $"group-lasso({Penalties.Number(Lambda)})";
}
