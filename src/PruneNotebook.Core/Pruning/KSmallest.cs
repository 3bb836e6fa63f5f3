using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>Exact selection of the k lowest scores, on the scores' device, with no host round trip.</summary>
internal static class KSmallest
{
    /// <summary>
    /// A boolean mask over the 1-D <paramref name="scores"/> marking exactly <paramref name="k"/> of the
    /// <paramref name="eligible"/> entries: every entry below the k-th smallest eligible score, then entries equal
    /// to it in index order until k are marked (the tie rule: exactly k, lowest index first).
    /// </summary>
    /// <param name="scores">Scores of shape (N).</param>
    /// <param name="eligible">Which entries may be chosen, bool of shape (N), at least k of them true; <c>null</c> when all are.</param>
    /// <param name="k">How many to choose.</param>
    public static Tensor Select(Tensor scores, Tensor? eligible, long k)
    {
        using var scope = NewDisposeScope();
        if (k == 0)
            return zeros_like(scores, dtype: ScalarType.Bool).MoveToOuterDisposeScope();
        var candidates = scores.dtype == ScalarType.Float32 ? scores : scores.to_type(ScalarType.Float32);
        if (eligible is not null)
            candidates = candidates.masked_fill(eligible.logical_not(), float.PositiveInfinity);
        var (kth, _) = kthvalue(candidates, k, 0, false);
        var below = candidates.lt(kth);
        var tied = candidates.eq(kth);
        var stillNeeded = below.sum().neg().add(k);
        var tieRank = tied.to_type(ScalarType.Int64).cumsum(0);
        var chosen = below.logical_or(tied.logical_and(tieRank.le(stillNeeded)));
        return chosen.MoveToOuterDisposeScope();
    }
}
