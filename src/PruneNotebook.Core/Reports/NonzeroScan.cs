using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using PruneNotebook.Core.Runtime;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Reports;

/// <summary>
/// The CPU form of <see cref="SparsityReport"/>'s counts for one weight: one vectorized read of a contiguous float32
/// tensor in CPU memory, split over libtorch's thread count, counts the nonzero entries of every unit (slice along dim 0)
/// and of every input (slice along dim 1). The tensor-op form needs a float copy, an in-place comparison and two sums;
/// this reads the weight once and writes nothing to it. An entry counts as nonzero when it is not equal to zero, so NaN
/// does and −0 does not, as with <c>ne(0)</c>.
/// </summary>
internal static class NonzeroScan
{
    /// <summary>Units per unit of parallel work (at least this many entries' worth, see <see cref="Counts"/>).</summary>
    private const long EntriesPerTask = 1 << 20;

    /// <summary>Whether <paramref name="value"/> can be counted here: a contiguous float32 CPU tensor of two or more dimensions.</summary>
    public static bool Applies(Tensor value) =>
        value.dim() >= 2 && CpuFloats.Readable(value);

    /// <summary>Nonzero entries, dead units and dead inputs of <paramref name="value"/>, shape (units, inputs, …).</summary>
    /// <param name="value">A tensor for which <see cref="Applies"/> holds.</param>
    /// <param name="vectorized">Use vector instructions where the hardware has them; <c>false</c> counts entry by entry.</param>
    public static (long Nonzero, long DeadUnits, long DeadInputs) Counts(Tensor value, bool vectorized = true)
    {
        using var scope = NewDisposeScope();
        var (units, inputs) = ((int)value.shape[0], (int)value.shape[1]);
        var inner = (int)(value.numel() / ((long)units * inputs));
        var unitLength = (long)inputs * inner;
        var unitsPerTask = (int)Math.Clamp(EntriesPerTask / Math.Max(1, unitLength), 1, units);
        var blocks = new List<Tensor>();
        for (var start = 0; start < units; start += unitsPerTask)
            blocks.Add(value.narrow(0, start, Math.Min(unitsPerTask, units - start)));
        var perInput = new int[blocks.Count][];
        var nonzero = new long[blocks.Count];
        var deadUnits = new long[blocks.Count];
        var options = CpuFloats.Workers();
        Parallel.For(0, blocks.Count, options, b =>
        {
            var x = CpuFloats.Of(blocks[b]);
            var columns = new int[inputs];
            for (var u = 0; u < x.Length / unitLength; u++)
            {
                var unit = x.Slice((int)(u * unitLength), (int)unitLength);
                var count = inner == 1 ? CountRow(unit, columns, vectorized) : CountFilter(unit, columns, inner);
                nonzero[b] += count;
                deadUnits[b] += count == 0 ? 1 : 0;
            }
            perInput[b] = columns;
        });
        long deadInputs = 0;
        for (var i = 0; i < inputs; i++)
        {
            long count = 0;
            foreach (var columns in perInput)
                count += columns[i];
            deadInputs += count == 0 ? 1 : 0;
        }
        return (nonzero.Sum(), deadUnits.Sum(), deadInputs);
    }

    /// <summary>A matrix row: its nonzero count, each entry's 0/1 added to its column's count.</summary>
    // Compiled fully optimized from the first call (a report is often made once, before tiered JIT would promote it).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CountRow(ReadOnlySpan<float> row, int[] columns, bool vectorized)
    {
        var count = 0;
        var j = 0;
        if (vectorized && Vector256.IsHardwareAccelerated)
        {
            ref var first = ref MemoryMarshal.GetReference(row);
            ref var column = ref MemoryMarshal.GetArrayDataReference(columns);
            for (; j <= row.Length - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                // Equal to zero gives −1 per lane: the column count gains 1 − (−1 or 0) − 1, i.e. 1 for a nonzero entry.
                var isZero = Vector256.Equals(Vector256.LoadUnsafe(ref first, (nuint)j), Vector256<float>.Zero).AsInt32();
                var counts = Vector256.LoadUnsafe(ref column, (nuint)j);
                (counts + Vector256<int>.One + isZero).StoreUnsafe(ref column, (nuint)j);
                count += Vector256<float>.Count - BitOperations.PopCount(isZero.ExtractMostSignificantBits());
            }
        }
        for (; j < row.Length; j++)
        {
            var nonzero = row[j] != 0 ? 1 : 0;
            columns[j] += nonzero;
            count += nonzero;
        }
        return count;
    }

    /// <summary>A filter of shape (inputs, inner): its nonzero count, each input channel's added to that input's count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CountFilter(ReadOnlySpan<float> filter, int[] inputs, int inner)
    {
        var count = 0;
        for (var i = 0; i < inputs.Length; i++)
        {
            var channel = 0;
            foreach (var v in filter.Slice(i * inner, inner))
                channel += v != 0 ? 1 : 0;
            inputs[i] += channel;
            count += channel;
        }
        return count;
    }
}
