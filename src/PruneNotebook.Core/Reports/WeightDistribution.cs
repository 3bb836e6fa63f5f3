using PruneNotebook.Core.Pruning;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Reports;

/// <summary>A histogram of a model's weights, with the share that is exactly zero and near zero.</summary>
/// <param name="Label">The model or run this describes, e.g. <c>L1 1e-4</c>.</param>
/// <param name="BinEdges">Bin edges, ascending (one more than <see cref="Counts"/>).</param>
/// <param name="Counts">Weights per bin.</param>
/// <param name="Total">Weights counted.</param>
/// <param name="ExactZeros">Weights that are exactly 0.</param>
/// <param name="NearZero">Weights with |w| below <see cref="NearZeroThreshold"/> (including exact zeros).</param>
/// <param name="NearZeroThreshold">The threshold of <see cref="NearZero"/>.</param>
public sealed record WeightDistribution(
    string Label,
    IReadOnlyList<double> BinEdges,
    IReadOnlyList<long> Counts,
    long Total,
    long ExactZeros,
    long NearZero,
    double NearZeroThreshold)
{
    /// <summary>Fraction of the weights with |w| below <see cref="NearZeroThreshold"/>.</summary>
    public double NearZeroFraction => Total == 0 ? 0 : (double)NearZero / Total;

    /// <summary>
    /// The histogram of the weights of every Linear and convolution layer of <paramref name="model"/> (or of the named
    /// parameters) over [−<paramref name="range"/>, <paramref name="range"/>]; weights outside land in the end bins.
    /// Computed on the model's device; one read back at the end.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="label">Name for legends.</param>
    /// <param name="bins">Number of bins (≥ 2).</param>
    /// <param name="range">Half-width of the histogram (&gt; 0).</param>
    /// <param name="nearZeroThreshold">|w| below this counts as near zero (&gt; 0).</param>
    /// <param name="parameters">Qualified parameter names, or <c>null</c> for every Linear and convolution weight.</param>
    /// <exception cref="ArgumentException">A bound is out of range or a name is unknown.</exception>
    public static WeightDistribution Of(nn.Module model, string label, int bins = 80, double range = 0.2, double nearZeroThreshold = 1e-3, IReadOnlyList<string>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        PruningMasks.Apply(model);
        if (bins < 2)
            throw new ArgumentException($"A histogram needs at least 2 bins, got {bins}.", nameof(bins));
        if (!(range > 0) || double.IsInfinity(range))
            throw new ArgumentException($"Histogram range must be a positive number, got {range}.", nameof(range));
        if (!(nearZeroThreshold > 0))
            throw new ArgumentException($"The near-zero threshold must be positive, got {nearZeroThreshold}.", nameof(nearZeroThreshold));
        var names = parameters ?? Pruner.LayerWeights(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var weights = cat(names.Select(n => ModuleTree.Resolve(model, n).Value.detach().flatten()).ToArray()).to_type(ScalarType.Float64);
        // TorchSharp's histc takes whole-number bounds: map [-range, range] onto [0, bins] first.
        var histogram = weights.clamp(-range, range).add(range).mul(bins / (2 * range)).histc(bins, 0, bins);
        var summary = stack([weights.eq(0).sum().to_type(ScalarType.Float64), weights.abs().lt(nearZeroThreshold).sum().to_type(ScalarType.Float64)]);
        var counts = cat([histogram, summary]).cpu().data<double>().ToArray();
        var edges = Enumerable.Range(0, bins + 1).Select(i => -range + 2 * range * i / bins).ToArray();
        return new WeightDistribution(label, edges, counts[..bins].Select(c => (long)c).ToArray(), weights.shape[0],
            (long)counts[bins], (long)counts[bins + 1], nearZeroThreshold);
    }
}
