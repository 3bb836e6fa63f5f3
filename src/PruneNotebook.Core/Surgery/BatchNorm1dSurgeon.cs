using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>Removes channels (features) of a <see cref="BatchNorm1d"/>.</summary>
public sealed class BatchNorm1dSurgeon : BatchNormSurgeon<BatchNorm1d>
{
    /// <inheritdoc />
    protected override BatchNorm1d Create(long features, BatchNorm1d source) =>
        nn.BatchNorm1d(features, source.eps, source.momentum ?? 0.1, source.affine, source.track_running_stats, DeviceOf(source));
}
