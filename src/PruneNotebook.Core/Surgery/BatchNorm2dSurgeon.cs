using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>Removes channels of a <see cref="BatchNorm2d"/>.</summary>
public sealed class BatchNorm2dSurgeon : BatchNormSurgeon<BatchNorm2d>
{
    /// <inheritdoc />
    protected override BatchNorm2d Create(long features, BatchNorm2d source) =>
        nn.BatchNorm2d(features, source.eps, source.momentum ?? 0.1, source.affine, source.track_running_stats, DeviceOf(source));
}
