using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>
/// Magnitude: an entry scores its absolute value; a unit scores the Ln norm of its slice
/// (PyTorch's <c>l1_unstructured</c> and <c>ln_structured</c>). n = 1 is L1, 2 is L2, ∞ the max-abs.
/// </summary>
/// <param name="n">Order of the norm (≥ 1, or +∞).</param>
public sealed class LnNormImportance(double n = 1) : IImportance
{
    /// <summary>The order of the norm.</summary>
    public double N { get; } = n >= 1 || double.IsPositiveInfinity(n)
        ? n
        : throw new ArgumentOutOfRangeException(nameof(n), n, "The norm order n must be at least 1 (or infinity).");

    /// <inheritdoc />
    public string Name => N == 1 ? "l1" : double.IsPositiveInfinity(N) ? "linf" : $"l{N:G}";

    /// <inheritdoc />
    public Tensor Score(Tensor parameter, string name) => parameter.detach().abs();

    /// <inheritdoc />
    public Tensor ScoreUnits(Tensor parameter, string name, int dim)
    {
        var others = Enumerable.Range(0, (int)parameter.dim()).Where(d => d != dim).Select(d => (long)d).ToArray();
        using var abs = parameter.detach().abs();
        if (others.Length == 0)
            return abs.clone();
        return double.IsPositiveInfinity(N) ? abs.amax(others) : linalg.vector_norm(abs, N, others);
    }
}
