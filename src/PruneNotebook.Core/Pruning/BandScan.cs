using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PruneNotebook.Core.Runtime;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>
/// The CPU form of <see cref="KSmallest"/>'s pass over a bracket [lo, hi]: one vectorized read of the scores, split over
/// libtorch's thread count, counts the entries below lo and equal to lo and copies out the few in (lo, hi]; the k-th
/// value is then found among those by a histogram of the band and a sort of the one bin that holds it.
/// </summary>
/// <remarks>
/// libtorch has no single op for "count below, gather between": on the CPU its form takes a float copy, four in-place
/// passes, a <c>nonzero</c> and an <c>index_select</c>, about 10× one read of the scores. This pass reads the scores once
/// and writes nothing to them. It runs on CPU memory in place, so nothing is copied to or from a device; tensors on
/// other devices keep the tensor-op path. Comparisons are exact (no rounding widens the band); a NaN score counts as
/// below lo (it is not ≥ lo), as in the tensor-op path, so both passes choose alike.
/// </remarks>
internal static class BandScan
{
    /// <summary>Entries per unit of parallel work (4 MiB of float32).</summary>
    private const int ChunkLength = 1 << 20;

    /// <summary>Whether <paramref name="segments"/> can be scanned here: contiguous float32 tensors in CPU memory.</summary>
    public static bool Applies(IReadOnlyList<Tensor> segments) =>
        segments.All(CpuFloats.Readable);

    /// <summary>
    /// The k-th smallest value of the segments taken together (1-based <paramref name="k"/>) with the counts below and at
    /// or below it, or <c>null</c> when it does not lie in [<paramref name="lo"/>, <paramref name="hi"/>] (the caller
    /// then selects over everything).
    /// </summary>
    /// <param name="segments">Contiguous float32 CPU tensors, read only.</param>
    /// <param name="lo">Lower end of the bracket.</param>
    /// <param name="hi">Upper end of the bracket, at least <paramref name="lo"/>.</param>
    /// <param name="k">Rank of the value sought among all entries.</param>
    /// <param name="expectedBandFraction">About which share of the entries lies in the bracket (sizes the buffers).</param>
    /// <param name="vectorized">Use AVX2 where the processor has it; <c>false</c> scans entry by entry.</param>
    public static (float Kth, long Below, long AtMost)? Find(IReadOnlyList<Tensor> segments, float lo, float hi, long k, double expectedBandFraction, bool vectorized = true)
    {
        using var scope = NewDisposeScope();
        // Infinite bounds would make the bins degenerate; finite ones count ±∞ as below or above, and a k-th value
        // that is infinite then falls outside the bracket.
        (lo, hi) = (Math.Clamp(lo, float.MinValue, float.MaxValue), Math.Clamp(hi, float.MinValue, float.MaxValue));
        var chunks = new List<Tensor>();
        foreach (var segment in segments)
            for (long start = 0; start < segment.numel(); start += ChunkLength)
                chunks.Add(segment.narrow(0, start, Math.Min(ChunkLength, segment.numel() - start)));
        // About 32 band entries per bin, so the one bin sorted at the end is short; each chunk keeps its own counts, so
        // a very large model gets fewer bins (all chunks' counts together stay within 16 MiB).
        var n = segments.Sum(s => s.numel());
        var maxBins = Math.Max(1, Math.Min(1 << 16, (1 << 22) / Math.Max(1, chunks.Count)));
        var bins = new Bins(lo, hi, (int)Math.Clamp(expectedBandFraction * n / 32, 1, maxBins));
        var results = new Chunk[chunks.Count];
        var options = CpuFloats.Workers();
        try
        {
            Parallel.For(0, chunks.Count, options, c =>
                results[c] = Scan(CpuFloats.Of(chunks[c]), lo, hi, bins, expectedBandFraction, vectorized));
            long below = 0, atLo = 0, inBand = 0;
            foreach (var result in results)
            {
                below += result.Below;
                atLo += result.AtLo;
                inBand += result.Count;
            }
            var rank = k - below;
            if (rank < 1 || rank > atLo + inBand)
                return null;
            if (rank <= atLo)
                return (lo, below, below + atLo);
            var (kth, less, atMost) = Select(results, bins, rank - atLo, options);
            return (kth, below + atLo + less, below + atLo + atMost);
        }
        finally
        {
            foreach (var result in results.Where(r => r.Band is not null))
            {
                ArrayPool<float>.Shared.Return(result.Band);
                ArrayPool<int>.Shared.Return(result.Histogram);
            }
        }
    }

    /// <summary>What one chunk holds: counts below (or NaN) and at lo, its entries in (lo, hi], and how many fall in each bin.</summary>
    private readonly record struct Chunk(long Below, long AtLo, float[] Band, int Count, int[] Histogram);

    /// <summary>
    /// Equal-width bins over (lo, hi]. The bin is non-decreasing in the value (each step — subtract, scale, truncate,
    /// clamp — preserves order), so the entries of one bin are a run of the sorted band.
    /// </summary>
    private readonly record struct Bins(float Lo, float Hi, int Count)
    {
        private readonly double _scale = Count / ((double)Hi - Lo);

        public int Of(float value)
        {
            // The conversion saturates (∞ → int.MaxValue), so one integer comparison clamps.
            var bin = (int)(((double)value - Lo) * _scale);
            return bin < Count ? bin : Count - 1;
        }

        /// <summary>
        /// Values outside this interval cannot fall in <paramref name="bin"/>: it is half a bin wider on each side than
        /// the bin, far more than the rounding of <see cref="Of"/> (so a cheap test skips most entries exactly).
        /// </summary>
        public (double From, double To) Around(int bin) => (Lo + (bin - 0.5) / _scale, bin == Count - 1 ? double.PositiveInfinity : Lo + (bin + 1.5) / _scale);
    }

    // Hot loops are compiled fully optimized from the first call: a user prunes once, before tiered JIT would promote them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Chunk Scan(ReadOnlySpan<float> x, float lo, float hi, Bins bins, double expectedBandFraction, bool vectorized)
    {
        // Pooled: on VMs a fresh array's first touch costs a page fault per 4 KiB, more than the scan itself.
        var band = ArrayPool<float>.Shared.Rent(Math.Max(64, (int)Math.Min(x.Length, 2 * expectedBandFraction * x.Length)));
        var count = 0;
        long below = 0, atLo = 0;
        var i = 0;
        if (vectorized && Avx2.IsSupported)
        {
            // Branch-free: every vector's lanes in (lo, hi] are packed to the front by one permute and stored whole;
            // the count advances by how many there were. Eight slots of slack keep the store inside the buffer.
            var (vlo, vhi) = (Vector256.Create(lo), Vector256.Create(hi));
            ref var first = ref MemoryMarshal.GetReference(x);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref first, (nuint)i);
                below += BitOperations.PopCount(~Vector256.GreaterThanOrEqual(v, vlo).ExtractMostSignificantBits() & 0xFF);
                atLo += BitOperations.PopCount(Vector256.Equals(v, vlo).ExtractMostSignificantBits());
                var inside = (Vector256.GreaterThan(v, vlo) & Vector256.LessThanOrEqual(v, vhi)).ExtractMostSignificantBits();
                if (count > band.Length - Vector256<float>.Count)
                    Grow(ref band, count);
                Avx2.PermuteVar8x32(v, Vector256.LoadUnsafe(ref Packing[0], inside * 8)).StoreUnsafe(ref band[0], (nuint)count);
                count += BitOperations.PopCount(inside);
            }
        }
        for (; i < x.Length; i++)
        {
            var v = x[i];
            if (!(v >= lo))
                below++;
            else if (v == lo)
                atLo++;
            else if (v <= hi)
                Append(ref band, ref count, v);
        }
        var histogram = ArrayPool<int>.Shared.Rent(bins.Count);
        Array.Clear(histogram, 0, bins.Count);
        for (var j = 0; j < count; j++)
            histogram[bins.Of(band[j])]++;
        return new Chunk(below, atLo, band, count, histogram);
    }

    private static void Append(ref float[] band, ref int count, float value)
    {
        if (count == band.Length)
            Grow(ref band, count);
        band[count++] = value;
    }

    private static void Grow(ref float[] band, int count)
    {
        var larger = ArrayPool<float>.Shared.Rent(checked(band.Length * 2));
        Array.Copy(band, larger, count);
        ArrayPool<float>.Shared.Return(band);
        band = larger;
    }

    /// <summary>For each 8-bit lane mask, the indices of its set lanes in order (then zeros): the permute that packs them.</summary>
    private static readonly int[] Packing = Enumerable.Range(0, 256)
        .SelectMany(mask => Enumerable.Range(0, 8).Where(lane => (mask >> lane & 1) != 0).Concat(Enumerable.Repeat(0, 8)).Take(8))
        .ToArray();

    /// <summary>
    /// The <paramref name="rank"/>-th smallest (1-based) of the chunks' band entries, all in (lo, hi], with how many are
    /// below it and at or below it: the bin where the running count reaches the rank holds it, and only that bin's
    /// entries are gathered (in parallel, each chunk into its own slice) and sorted.
    /// </summary>
    private static (float Kth, long Less, long AtMost) Select(Chunk[] chunks, Bins bins, long rank, ParallelOptions options)
    {
        long before = 0;
        var target = 0;
        for (; ; target++)
        {
            long inBin = 0;
            foreach (var chunk in chunks)
                inBin += chunk.Histogram[target];
            if (before + inBin >= rank)
                break;
            before += inBin;
        }
        var offsets = new int[chunks.Length + 1];
        for (var c = 0; c < chunks.Length; c++)
            offsets[c + 1] = checked(offsets[c] + chunks[c].Histogram[target]);
        var members = new float[offsets[^1]];
        var (from, to) = bins.Around(target);
        Parallel.For(0, chunks.Length, options, c => Gather(chunks[c].Band, bins, target, from, to, members, offsets[c], offsets[c + 1]));
        Array.Sort(members);
        var kth = members[rank - before - 1];
        long less = before, atMost = before;
        foreach (var v in members)
        {
            less += v < kth ? 1 : 0;
            atMost += v <= kth ? 1 : 0;
        }
        return (kth, less, atMost);
    }

    /// <summary>Copies a chunk's band entries that fall in bin <paramref name="target"/> to members[start..end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gather(float[] band, Bins bins, int target, double from, double to, float[] members, int start, int end)
    {
        for (int i = 0, m = start; m < end; i++)
            if (band[i] >= from && band[i] <= to && bins.Of(band[i]) == target)
                members[m++] = band[i];
    }
}
