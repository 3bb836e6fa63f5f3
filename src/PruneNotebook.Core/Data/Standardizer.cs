using PruneNotebook.Core.Runtime;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Data;

/// <summary>
/// Centres each feature to mean 0 and scales it to unit (population) standard deviation, as scikit-learn's
/// <c>StandardScaler</c>: fit it on the training rows only, then transform training and test rows with the same statistics.
/// A constant feature keeps scale 1.
/// </summary>
public sealed class Standardizer
{
    /// <summary>The per-feature mean and standard deviation of <paramref name="features"/> (n, d), computed in float64 on its device.</summary>
    /// <exception cref="ArgumentException">The features are not 2-D or have no rows.</exception>
    public Standardization Fit(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2 || features.shape[0] == 0)
            throw new ArgumentException($"Standardizer needs features of shape (n, d) with n ≥ 1, got ({string.Join(", ", features.shape)}).", nameof(features));
        TorchNativeLibraries.EnsureLoaded();
        using var scope = NewDisposeScope();
        var x = features.to_type(ScalarType.Float64);
        var mean = x.mean([0]);
        var std = x.std(0, unbiased: false);
        var stats = stack([mean, std]).cpu().data<double>().ToArray();
        var d = (int)features.shape[1];
        return new Standardization(stats[..d], stats[d..].Select(s => s > 10 * double.Epsilon * d ? s : 1.0).ToArray());
    }

    /// <summary>Fits on <paramref name="data"/>'s features.</summary>
    public Standardization Fit(TabularDataset data) => Fit((data ?? throw new ArgumentNullException(nameof(data))).Features);
}

/// <summary>A fitted <see cref="Standardizer"/>: <c>(x − Mean) / Scale</c> per feature.</summary>
/// <param name="Mean">Per-feature mean (d).</param>
/// <param name="Scale">Per-feature standard deviation (d); 1 for constant features.</param>
public sealed record Standardization(IReadOnlyList<double> Mean, IReadOnlyList<double> Scale)
{
    /// <summary>Standardized features (n, d), float32, on the input's device; the caller owns the result.</summary>
    /// <exception cref="ArgumentException">The feature count differs from the fitted one.</exception>
    public Tensor Transform(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2 || features.shape[1] != Mean.Count)
            throw new ArgumentException($"Expected features of shape (n, {Mean.Count}) as fitted, got ({string.Join(", ", features.shape)}).", nameof(features));
        using var scope = NewDisposeScope();
        var mean = tensor(Mean.ToArray(), device: features.device);
        var scale = tensor(Scale.ToArray(), device: features.device);
        return features.to_type(ScalarType.Float64).sub(mean).div(scale).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>A copy of <paramref name="data"/> with standardized features.</summary>
    public TabularDataset Transform(TabularDataset data) => (data ?? throw new ArgumentNullException(nameof(data))).WithFeatures(Transform(data.Features));
}
