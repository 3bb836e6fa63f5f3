using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Runtime;

/// <summary>
/// What the CPU scans (pruning's <c>BandScan</c>, the sparsity report's <c>NonzeroScan</c>) share: which tensors they can
/// read in place, how many workers they use, and the read itself.
/// </summary>
internal static class CpuFloats
{
    /// <summary>Whether <paramref name="tensor"/> is float32 in CPU memory and contiguous, so its entries can be read in place.</summary>
    public static bool Readable(Tensor tensor) =>
        tensor.device_type == DeviceType.CPU && tensor.dtype == ScalarType.Float32 && tensor.is_contiguous();

    /// <summary>As many workers as libtorch's own thread count, so a scan uses the cores a tensor op would.</summary>
    public static ParallelOptions Workers() => new() { MaxDegreeOfParallelism = Math.Max(1, get_num_threads()) };

    /// <summary>The entries of a <see cref="Readable"/> tensor (at most 2 GiB), in place: no copy.</summary>
    public static ReadOnlySpan<float> Of(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes);
}
