using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Data;

/// <summary>
/// A table of numeric features with one target per row: features float32 (n, d) and targets float32 (n) on one device,
/// with the feature names and, for classification, the class names (targets then hold class indices 0..k−1).
/// Owns its tensors: dispose it to free them.
/// </summary>
public sealed class TabularDataset : IDisposable
{
    /// <summary>Wraps <paramref name="features"/> (n, d) and <paramref name="targets"/> (n); takes ownership of both (converted to float32).</summary>
    /// <param name="features">Features of shape (n, d).</param>
    /// <param name="targets">Targets of shape (n): values for regression, class indices 0..k−1 for classification.</param>
    /// <param name="featureNames">d names; default <c>x0, x1, …</c>.</param>
    /// <param name="classNames">Class names by index for a classification task, or <c>null</c> for regression.</param>
    /// <param name="name">A short label for tables and charts.</param>
    /// <exception cref="ArgumentException">The shapes or the name count do not fit, or a class index is out of range.</exception>
    public TabularDataset(Tensor features, Tensor targets, IReadOnlyList<string>? featureNames = null, IReadOnlyList<string>? classNames = null, string name = "data")
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.dim() != 2)
            throw new ArgumentException($"features must be 2-D (n, d), got shape ({string.Join(", ", features.shape)}).", nameof(features));
        if (targets.dim() != 1 || targets.shape[0] != features.shape[0])
            throw new ArgumentException($"targets must have shape ({features.shape[0]}), got ({string.Join(", ", targets.shape)}).", nameof(targets));
        if (features.device_type != targets.device_type || features.device_index != targets.device_index)
            throw new ArgumentException($"features are on {features.device} but targets on {targets.device}: put both on one device.", nameof(targets));
        if (featureNames is not null && featureNames.Count != features.shape[1])
            throw new ArgumentException($"Expected {features.shape[1]} feature names, got {featureNames.Count}.", nameof(featureNames));
        var d = (int)features.shape[1];
        Features = Float32(features);
        Targets = Float32(targets);
        FeatureNames = featureNames?.ToArray() ?? Enumerable.Range(0, d).Select(i => $"x{i}").ToArray();
        ClassNames = classNames?.ToArray();
        Name = name;
        if (ClassNames is not null && Count > 0)
        {
            using var scope = NewDisposeScope();
            var (min, max) = (Targets.min().item<float>(), Targets.max().item<float>());
            if (min < 0 || max >= ClassNames.Count || Targets.ne(Targets.round()).any().item<bool>())
                throw new ArgumentException($"Class targets must be whole numbers in 0..{ClassNames.Count - 1}, got values in [{min}, {max}].", nameof(targets));
        }
    }

    /// <summary>Features of shape (n, d), float32.</summary>
    public Tensor Features { get; }

    /// <summary>Targets of shape (n), float32: values, or class indices for classification.</summary>
    public Tensor Targets { get; }

    /// <summary>The d feature names, in column order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Class names by index for classification, or <c>null</c> for regression.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>A short label for tables and charts.</summary>
    public string Name { get; }

    /// <summary>Whether the targets are class indices.</summary>
    public bool IsClassification => ClassNames is not null;

    /// <summary>Rows n.</summary>
    public long Count => Features.shape[0];

    /// <summary>Features d.</summary>
    public int FeatureCount => (int)Features.shape[1];

    /// <summary>The device the tensors live on.</summary>
    public Device Device => Features.device;

    /// <summary>The class indices (n) as int64, for classification.</summary>
    /// <exception cref="InvalidOperationException">This is a regression dataset.</exception>
    public Tensor Labels() => IsClassification
        ? Targets.to_type(ScalarType.Int64)
        : throw new InvalidOperationException($"Dataset '{Name}' is a regression dataset: it has no class labels.");

    /// <summary>The class indices copied to the host, for classification.</summary>
    public long[] LabelArray()
    {
        using var labels = Labels();
        using var cpu = labels.cpu();
        return cpu.data<long>().ToArray();
    }

    /// <summary>A new dataset with the rows at <paramref name="rows"/> (copied).</summary>
    public TabularDataset Rows(IReadOnlyList<long> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var index = tensor(rows.ToArray(), device: Device);
        return new TabularDataset(Features.index_select(0, index), Targets.index_select(0, index), FeatureNames, ClassNames, Name);
    }

    /// <summary>A new dataset with only the feature columns at <paramref name="columns"/> (copied), in that order.</summary>
    /// <exception cref="ArgumentException">A column is out of range.</exception>
    public TabularDataset Columns(IReadOnlyList<int> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        foreach (var c in columns)
            if (c < 0 || c >= FeatureCount)
                throw new ArgumentException($"Column {c} is out of range: the dataset has {FeatureCount} features.", nameof(columns));
        using var index = tensor(columns.Select(c => (long)c).ToArray(), device: Device);
        return new TabularDataset(Features.index_select(1, index), Targets.clone(), columns.Select(c => FeatureNames[c]).ToArray(), ClassNames, Name);
    }

    /// <summary>A copy with <paramref name="features"/> (n, d) in place of the features (e.g. standardized); takes ownership of them.</summary>
    public TabularDataset WithFeatures(Tensor features) => new(features, Targets.clone(), FeatureNames, ClassNames, Name);

    /// <summary>The same rows as a <see cref="TensorDataset"/> (features and int64 labels, copied) for the <c>Trainer</c>.</summary>
    /// <exception cref="InvalidOperationException">This is a regression dataset.</exception>
    public TensorDataset ToTensorDataset() => new(Features.clone(), Labels(), ClassNames);

    private static Tensor Float32(Tensor t)
    {
        if (t.dtype == ScalarType.Float32)
            return t.DetachFromDisposeScope();
        var converted = t.to_type(ScalarType.Float32).DetachFromDisposeScope();
        t.Dispose();
        return converted;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {Count} rows × {FeatureCount} features, " + (IsClassification ? $"{ClassNames!.Count} classes ({string.Join(", ", ClassNames)})" : "regression target");

    /// <inheritdoc />
    public void Dispose()
    {
        Features.Dispose();
        Targets.Dispose();
    }
}
