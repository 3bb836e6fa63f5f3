using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Data;

/// <summary>
/// Features and integer class labels held as tensors on one device, served as shuffled, seeded mini-batches.
/// Owns its tensors: dispose it to free them.
/// </summary>
public sealed class TensorDataset : IDisposable
{
    /// <summary>
    /// Wraps <paramref name="features"/> (N, ...) and <paramref name="labels"/> (N) int64 — or (N, T) for sequence models,
    /// one label per position (next-token targets) — taking ownership of both.
    /// </summary>
    /// <exception cref="ArgumentException">The first dimensions differ, labels are a scalar or have more than two dimensions, or the tensors are on different devices.</exception>
    public TensorDataset(Tensor features, Tensor labels, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.dim() is < 1 or > 2)
            throw new ArgumentException($"labels must be (N) or, for sequences, (N, T), got shape ({string.Join(", ", labels.shape)}).", nameof(labels));
        if (features.dim() < 1 || features.shape[0] != labels.shape[0])
            throw new ArgumentException(
                $"features and labels must have the same first dimension, got {(features.dim() < 1 ? "a scalar" : features.shape[0].ToString())} features and {labels.shape[0]} labels.",
                nameof(features));
        if (features.device_type != labels.device_type || features.device_index != labels.device_index)
            throw new ArgumentException($"features are on {features.device} but labels on {labels.device}: put both on one device.", nameof(labels));
        Features = features.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
        ClassNames = classNames ?? Array.Empty<string>();
    }

    /// <summary>Features of shape (N, ...).</summary>
    public Tensor Features { get; }

    /// <summary>Class indices of shape (N), int64.</summary>
    public Tensor Labels { get; }

    /// <summary>Human-readable class names by index (may be empty).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of examples N.</summary>
    public long Count => Labels.shape[0];

    /// <summary>
    /// Returns this dataset after checking that its features are all finite (one read pass; the sum of finite values is
    /// finite unless huge, and only then are entries checked one by one).
    /// </summary>
    /// <param name="role">What the data are for, for the message, e.g. <c>the training set</c>.</param>
    /// <exception cref="ArgumentException">A feature is NaN or infinite: training or scoring on it would give NaN silently.</exception>
    public TensorDataset CheckFinite(string role)
    {
        if (!Features.is_floating_point())
            return this;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        if (Features.sum().isfinite().cpu().item<bool>() || torch.isfinite(Features).all().cpu().item<bool>())
            return this;
        var bad = Features.numel() - torch.isfinite(Features).sum().cpu().item<long>();
        throw new ArgumentException(
            $"{char.ToUpperInvariant(role[0])}{role[1..]} holds {bad} NaN or infinite input value{(bad == 1 ? "" : "s")}: clean or impute them first (e.g. torch.nan_to_num), or drop those examples.");
    }

    /// <summary>The shape of one example (the feature shape without N).</summary>
    public long[] ExampleShape => Features.shape[1..];

    /// <summary>The device the tensors live on.</summary>
    public Device Device => Features.device;

    /// <summary>
    /// Mini-batches covering every example once. With <paramref name="shuffle"/>, the order is a permutation
    /// drawn on the dataset's device from a generator seeded with <paramref name="seed"/>: the same seed gives
    /// the same batches. Each batch's tensors belong to the caller's dispose scope.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public IEnumerable<(Tensor Features, Tensor Labels)> Batches(int batchSize, bool shuffle = false, long seed = 0)
    {
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be at least 1.");
        return Iterate(batchSize, shuffle, seed);
    }

    private IEnumerable<(Tensor, Tensor)> Iterate(int batchSize, bool shuffle, long seed)
    {
        var n = Count;
        Tensor? order = null;
        try
        {
            if (shuffle)
            {
                // The permutation is drawn on the CPU generator for the same order on every device,
                // then moved once per epoch; batches are gathered on the dataset's device.
                using var generator = new Generator((ulong)seed);
                using var cpuOrder = randperm(n, generator: generator);
                order = cpuOrder.to(Device).DetachFromDisposeScope();
            }
            for (long start = 0; start < n; start += batchSize)
            {
                var length = Math.Min(batchSize, n - start);
                if (order is null)
                {
                    yield return (Features.narrow(0, start, length), Labels.narrow(0, start, length));
                }
                else
                {
                    using var index = order.narrow(0, start, length);
                    yield return (Features.index_select(0, index), Labels.index_select(0, index));
                }
            }
        }
        finally
        {
            order?.Dispose();
        }
    }

    /// <summary>A new dataset with the examples at <paramref name="indices"/> (copied).</summary>
    public TensorDataset Subset(Tensor indices)
    {
        using var index = indices.to(Device);
        return new TensorDataset(Features.index_select(0, index), Labels.index_select(0, index), ClassNames);
    }

    /// <summary>A copy of this dataset on <paramref name="device"/>.</summary>
    public TensorDataset To(Device device) =>
        new(Features.to(device, copy: true), Labels.to(device, copy: true), ClassNames);

    /// <inheritdoc />
    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}
