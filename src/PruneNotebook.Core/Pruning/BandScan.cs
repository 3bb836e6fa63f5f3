using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
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
/// other devices keep the tensor-op path. Comparisons are exact (no rounding widens the band), NaN counts as above the
/// band, as it does in the tensor-op path.
/// </remarks>
internal static class BandScan
{
    /// <summary>Entries per unit of parallel work (4 MiB of float32).</summary>
    private const int ChunkLength = 1 << 20;

    /// <summary>Whether <paramref name="segments"/> can be scanned here: contiguous float32 tensors in CPU memory.</summary>
    public static bool Applies(IReadOnlyList<Tensor> segments) =>
        segments.All(s => s.device_type == DeviceType.CPU && s.dtype == ScalarType.Float32 && s.is_contiguous());

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
        var results = new Chunk[chunks.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, get_num_threads()) };
        Parallel.For(0, chunks.Count, options, c =>
            results[c] = Scan(MemoryMarshal.Cast<byte, float>(chunks[c].bytes), lo, hi, expectedBandFraction, vectorized));

        long below = 0, atLo = 0, inBand = 0;
        foreach (var result in results)
        {
            below += result.Below;
            atLo += result.AtLo;
            inBand += result.Count;
        }
        try
        {
            var rank = k - below;
            if (rank < 1 || rank > atLo + inBand)
                return null;
            if (rank <= atLo)
                return (lo, below, below + atLo);
            var (kth, less, atMost) = Select(results, inBand, rank - atLo, lo, hi);
            return (kth, below + atLo + less, below + atLo + atMost);
        }
        finally
        {
            foreach (var result in results)
                ArrayPool<float>.Shared.Return(result.Band);
        }
    }

    /// <summary>What one chunk holds: counts below and at lo, and its entries in (lo, hi].</summary>
    private readonly record struct Chunk(long Below, long AtLo, float[] Band, int Count);

    private static Chunk Scan(ReadOnlySpan<float> x, float lo, float hi, double expectedBandFraction, bool vectorized)
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
                below += BitOperations.PopCount(Vector256.LessThan(v, vlo).ExtractMostSignificantBits());
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
            if (v < lo)
                below++;
            else if (v == lo)
                atLo++;
            else if (v <= hi)
                Append(ref band, ref count, v);
        }
        return new Chunk(below, atLo, band, count);
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
    /// below it and at or below it. Bins of equal width over (lo, hi] are monotone in the value, so the bin where the
    /// running count reaches the rank holds the value; only that bin is sorted.
    /// </summary>
    private static (float Kth, long Less, long AtMost) Select(Chunk[] chunks, long total, long rank, float lo, float hi)
    {
        var bins = (int)Math.Clamp(total / 32, 1, 1 << 16);
        var scale = bins / ((double)hi - lo);
        var counts = new long[bins];
        foreach (var chunk in chunks)
            for (var i = 0; i < chunk.Count; i++)
                counts[Bin(chunk.Band[i], lo, scale, bins)]++;
        long before = 0;
        var target = 0;
        while (before + counts[target] < rank)
            before += counts[target++];

        var members = new float[counts[target]];
        var m = 0;
        foreach (var chunk in chunks)
            for (var i = 0; i < chunk.Count; i++)
                if (Bin(chunk.Band[i], lo, scale, bins) == target)
                    members[m++] = chunk.Band[i];
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

    /// <summary>Non-decreasing in <paramref name="value"/>: each step (subtract, scale, truncate, clamp) preserves order.</summary>
    private static int Bin(float value, float lo, double scale, int bins) =>
        (int)Math.Min(bins - 1, ((double)value - lo) * scale);
}
