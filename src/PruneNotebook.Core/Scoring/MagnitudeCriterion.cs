using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Scoring;

/// <summary>
/// Magnitude: an entry scores |w|; a unit of a parameter scores the Ln norm of its slice (PyTorch's
/// <c>l1_unstructured</c> and <c>ln_structured</c>); a unit of a channel group scores the Ln norm of its producers'
/// weights, bias included, taken over all the producers of the group (Li et al. 2017, "Pruning filters for efficient
/// ConvNets"). n = 1 is L1, 2 is L2, ∞ the largest |w|.
/// </summary>
/// <param name="n">Order of the norm (≥ 1, or +∞).</param>
public sealed class MagnitudeCriterion(double n = 1) : IEntryCriterion, IUnitCriterion, IGroupCriterion
{
    /// <summary>The order of the norm.</summary>
    public double N { get; } = n >= 1 || double.IsPositiveInfinity(n)
        ? n
        : throw new ArgumentOutOfRangeException(nameof(n), n, $"The norm order n must be at least 1 (or inf), got {n}.");

    /// <inheritdoc />
    public string Name => N == 1 ? "l1" : double.IsPositiveInfinity(N) ? "linf" : $"l{N:G}";

    /// <inheritdoc />
    public Tensor ScoreEntries(Tensor parameter, string name, ScoringContext context) => parameter.detach().abs();

    /// <inheritdoc />
    public Tensor ScoreUnits(Tensor parameter, string name, int dim, ScoringContext context)
    {
        var others = Enumerable.Range(0, (int)parameter.dim()).Where(d => d != dim).Select(d => (long)d).ToArray();
        using var abs = parameter.detach().abs();
        if (others.Length == 0)
            return abs.clone();
        return double.IsPositiveInfinity(N) ? abs.amax(others) : linalg.vector_norm(abs, N, others);
    }

    /// <inheritdoc />
    public IReadOnlyList<Tensor?> ScoreGroups(IReadOnlyList<ChannelGroup> groups, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var scores = new List<Tensor?>(groups.Count);
        foreach (var group in groups)
        {
            using var scope = NewDisposeScope();
            Tensor? total = null;
            foreach (var producer in group.Producers)
                foreach (var (_, rows) in UnitSlices.Of(producer, group.Size))
                {
                    var part = N switch
                    {
                        1 => rows.abs().sum(1),
                        2 => rows.pow(2).sum(1),
                        double.PositiveInfinity => rows.abs().amax(1),
                        _ => rows.abs().pow(N).sum(1),
                    };
                    total = total is null ? part : double.IsPositiveInfinity(N) ? total.maximum(part) : total.add_(part);
                }
            var norm = total is null || N == 1 || double.IsPositiveInfinity(N) ? total : N == 2 ? total.sqrt() : total.pow(1 / N);
            scores.Add(norm?.MoveToOuterDisposeScope());
        }
        return scores;
    }
}
