using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Analysis;

/// <summary>Whether a rewritten network still computes what it computed before (layout change, BatchNorm folding).</summary>
internal static class OutputAgreement
{
    /// <summary>
    /// <paramref name="actual"/> equals <paramref name="expected"/> up to float rounding: relative 1e-4, and absolute 1e-4
    /// of the largest expected magnitude (at least 1e-4).
    /// </summary>
    public static bool Holds(Tensor actual, Tensor expected)
    {
        var tolerance = 1e-4 * Math.Max(1.0, expected.abs().max().ToDouble());
        return actual.allclose(expected, rtol: 1e-4, atol: tolerance);
    }
}
