using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>
/// Exact selection of the k lowest scores, on the scores' device. The tie rule is PyTorch's count rule made
/// deterministic: exactly k entries are chosen, every entry below the k-th smallest score, then entries equal to it in
/// index order (across segments, in segment order).
/// </summary>
/// <remarks>
/// Large inputs find the k-th value without sorting or selecting over all of them: a sample of short runs spread over
/// the segments gives a bracket around the k-th value (two selections on the sample), one pass per segment counts the
/// entries below the bracket and gathers the few inside it (in CPU memory one vectorized scan, <see cref="BandScan"/>;
/// elsewhere tensor ops), and the k-th value is selected among those. Scalars are
/// read back twice (the count below the bracket, then the counts below and at the k-th value, which decide whether
/// ties straddle it); nothing is read per entry. If the sample misled (e.g. a strided pattern) the bracket is missed
/// and a full <c>kthvalue</c> decides instead.
/// </remarks>
internal static class KSmallest
{
    /// <summary>How the entries near the k-th value are found in a large input.</summary>
    internal enum BracketPass
    {
        /// <summary>The CPU scan where it applies (vectorized where the hardware allows), tensor ops elsewhere.</summary>
        Fastest,
        /// <summary>Tensor ops on any device.</summary>
        TensorOps,
        /// <summary>The CPU scan without vector instructions, as machines without AVX2 run it.</summary>
        ScalarScan,
    }

    /// <summary>Inputs at least this large use the sampled bracket instead of a full <c>kthvalue</c>.</summary>
    internal const long BracketThreshold = 1 << 20;

    private const long SampleSize = 1 << 16;

    /// <summary>The k-th smallest value and how many entries lie below it and at or below it.</summary>
    private readonly record struct Cut(Tensor Kth, long Below, long AtMost);

    /// <summary>
    /// A boolean mask over the 1-D <paramref name="scores"/> marking exactly <paramref name="k"/> of the
    /// <paramref name="eligible"/> entries by the tie rule. <paramref name="scores"/> is not modified.
    /// </summary>
    /// <param name="scores">Scores of shape (N).</param>
    /// <param name="eligible">Which entries may be chosen, bool of shape (N), at least k of them true; <c>null</c> when all are.</param>
    /// <param name="k">How many to choose.</param>
    /// <param name="pass">How to pass over the bracket; the default picks the fastest (tests compare them).</param>
    public static Tensor Select(Tensor scores, Tensor? eligible, long k, BracketPass pass = BracketPass.Fastest)
    {
        using var scope = NewDisposeScope();
        if (k == 0)
            return zeros_like(scores, dtype: ScalarType.Bool).MoveToOuterDisposeScope();
        var candidates = scores.dtype == ScalarType.Float32 ? scores : scores.to_type(ScalarType.Float32);
        if (eligible is not null)
            candidates = candidates.masked_fill(eligible.logical_not(), float.PositiveInfinity);
        var cut = Find([candidates], k, pass);
        if (cut.AtMost == k)
            return candidates.le(cut.Kth).MoveToOuterDisposeScope();
        var tiesLeft = tensor(k - cut.Below, device: candidates.device);
        return ChosenWithTies(candidates, cut.Kth, tiesLeft).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Turns the 1-D float32 <paramref name="segments"/> — scores the caller owns, read together in order, with entries
    /// that may not be chosen set to +∞ — into keep masks in place: 0 for the <paramref name="k"/> chosen entries (by the
    /// tie rule), 1 for the rest. The cheapest form of a global mask: no joined copy of the scores, no new mask tensors.
    /// </summary>
    /// <param name="segments">Contiguous 1-D float32 score tensors, overwritten.</param>
    /// <param name="k">How many to choose; at most the number of finite entries.</param>
    /// <param name="pass">How to pass over the bracket; the default picks the fastest (tests compare them).</param>
    public static void KeepInPlace(IReadOnlyList<Tensor> segments, long k, BracketPass pass = BracketPass.Fastest)
    {
        using var scope = NewDisposeScope();
        if (k == 0)
        {
            foreach (var segment in segments)
                segment.fill_(1);
            return;
        }
        var cut = Find(segments, k, pass);
        if (cut.AtMost == k)
        {
            foreach (var segment in segments)
                segment.gt_(cut.Kth);
            return;
        }
        var tiesLeft = tensor(k - cut.Below, device: segments[0].device);
        foreach (var segment in segments)
        {
            using var inner = NewDisposeScope();
            var chosen = ChosenWithTies(segment, cut.Kth, tiesLeft);
            segment.copy_(chosen.logical_not_());
        }
    }

    /// <summary>
    /// Entries below <paramref name="kth"/>, and entries equal to it in index order while <paramref name="tiesLeft"/>
    /// (a device scalar, decreased by the ties this segment holds) lasts.
    /// </summary>
    private static Tensor ChosenWithTies(Tensor segment, Tensor kth, Tensor tiesLeft)
    {
        var tied = segment.eq(kth);
        var tieRank = tied.to_type(ScalarType.Int64).cumsum(0);
        var chosen = segment.lt(kth).logical_or_(tied.logical_and_(tieRank.le(tiesLeft)));
        if (segment.numel() > 0)
            tiesLeft.sub_(tieRank[-1]);
        return chosen;
    }

    /// <summary>The k-th smallest value (1-based, k ≥ 1) of the segments taken together, with the counts below and at or below it.</summary>
    private static Cut Find(IReadOnlyList<Tensor> segments, long k, BracketPass pass)
    {
        var n = segments.Sum(s => s.numel());
        if (n >= BracketThreshold && Bracketed(segments, n, k, pass) is { } cut)
            return cut;
        // Small inputs, or the sample misled: select over everything.
        var all = segments.Count == 1 ? segments[0] : cat(segments.ToArray());
        var kth = kthvalue(all, k, 0, false).values;
        var counts = ReadCounts([count_nonzero(all.lt(kth)), count_nonzero(all.le(kth))]);
        return new Cut(kth, counts[0], counts[1]);
    }

    /// <summary>The cut found through a sampled bracket, or <c>null</c> when the k-th value fell outside the bracket.</summary>
    private static Cut? Bracketed(IReadOnlyList<Tensor> segments, long n, long k, BracketPass pass)
    {
        var sample = Sample(segments, n);
        var size = sample.numel();
        var q = (double)k / n;
        var center = (long)Math.Round(q * size);
        var margin = (long)Math.Ceiling(8 * Math.Sqrt(size * q * (1 - q))) + 64;
        // Two selections on the sample (1-based ranks), not a sort of it: sorting 64 K floats costs ~5× as much.
        var lo = kthvalue(sample, Math.Clamp(center - margin, 0, size - 1) + 1, 0, false).values;
        var hi = kthvalue(sample, Math.Clamp(center + margin, 0, size - 1) + 1, 0, false).values;
        if (pass == BracketPass.TensorOps || !BandScan.Applies(segments))
            return BracketedWithTensorOps(segments, n, k, lo, hi);
        // CPU memory: the bounds are read where the scores are, and one vectorized pass replaces the tensor ops.
        var bounds = stack([lo, hi]).data<float>().ToArray();
        var cut = BandScan.Find(segments, bounds[0], bounds[1], k, Math.Min(1, 2.0 * margin / size), vectorized: pass != BracketPass.ScalarScan);
        return cut is { } c ? new Cut(tensor(c.Kth), c.Below, c.AtMost) : null;
    }

    /// <summary>The bracket pass in tensor ops, for any device.</summary>
    /// <remarks>
    /// Comparisons run in place on one float scratch copy, not into new boolean tensors: libtorch's in-place float
    /// comparisons are vectorized and ~4× faster than its boolean-producing ones (and than <c>clamp</c> with tensor
    /// bounds), and 0/1 floats sum exactly up to 2^24 entries (longer segments are summed in chunks of that size).
    /// </remarks>
    private static Cut? BracketedWithTensorOps(IReadOnlyList<Tensor> segments, long n, long k, Tensor lo, Tensor hi)
    {
        // lo ≤ x ≤ hi is tested as |x − middle| ≤ halfWidth, widened by a few units in the last place of the bounds so
        // that rounding cannot drop an entry; the few entries gathered are then filtered exactly.
        var middle = lo.add(hi).div_(2);
        var halfWidth = hi.sub(lo).div_(2).add_(lo.abs().add(hi.abs()).mul_(1.0 / (1 << 22)));

        var scratch = empty(segments.Max(s => s.numel()), dtype: ScalarType.Float32, device: segments[0].device);
        var atLeastLo = new List<Tensor>();
        var bands = new List<Tensor>(segments.Count);
        foreach (var segment in segments)
        {
            var work = scratch.narrow(0, 0, segment.numel());
            work.copy_(segment).ge_(lo);
            for (long start = 0; start < segment.numel(); start += ExactFloatCount)
                atLeastLo.Add(work.narrow(0, start, Math.Min(ExactFloatCount, segment.numel() - start)).sum());
            work.copy_(segment).sub_(middle).abs_().le_(halfWidth);
            bands.Add(segment.index_select(0, work.nonzero().squeeze(1)));
        }
        var belowLo = n - ReadCounts([stack(atLeastLo).to_type(ScalarType.Int64).sum()])[0];
        var near = bands.Count == 1 ? bands[0] : cat(bands);
        var band = near.index_select(0, near.ge(lo).logical_and_(near.le(hi)).nonzero().squeeze(1));
        var rank = k - belowLo;
        if (rank < 1 || rank > band.numel())
            return null;
        var kth = kthvalue(band, rank, 0, false).values;
        var counts = ReadCounts([count_nonzero(band.lt(kth)), count_nonzero(band.le(kth))]);
        return new Cut(kth, belowLo + counts[0], belowLo + counts[1]);
    }

    /// <summary>Up to 2^24 zeros and ones sum exactly in float32.</summary>
    private const long ExactFloatCount = 1 << 24;

    /// <summary>
    /// About <see cref="SampleSize"/> scores: runs of 16 consecutive entries (one cache line each) spread evenly over the
    /// segments. A sample of single strided entries costs a cache miss per entry; longer runs would sample neighbours
    /// that tend to be alike (a trained row's entries), making the bracket less trustworthy.
    /// </summary>
    private static Tensor Sample(IReadOnlyList<Tensor> segments, long n)
    {
        const long Run = 16;
        var parts = new List<Tensor>(segments.Count);
        foreach (var segment in segments)
        {
            var length = segment.numel();
            var runs = Math.Max(1, (long)Math.Round((double)SampleSize / Run * length / n));
            var spacing = length / runs;
            parts.Add(spacing >= Run
                ? segment.narrow(0, 0, runs * spacing).view(runs, spacing).narrow(1, 0, Run).reshape(-1)
                : segment);
        }
        return cat(parts);
    }

    /// <summary>Device scalars read back in one copy.</summary>
    private static long[] ReadCounts(Tensor[] counts) => stack(counts).cpu().data<long>().ToArray();
}
