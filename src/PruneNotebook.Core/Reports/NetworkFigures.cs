namespace PruneNotebook.Core.Reports;

/// <summary>Size, cost and quality of a network at one moment (before or after surgery).</summary>
/// <param name="Parameters">Every parameter.</param>
/// <param name="Macs">Multiply-accumulates of one forward pass of one example (dense).</param>
/// <param name="LatencyMilliseconds">Wall time of the fastest of several forward passes of a batch (see <see cref="SurgeryReport.LatencyBatch"/>), eval mode.</param>
/// <param name="Accuracy">Accuracy (0..1) on the evaluation data, or <c>null</c> when none was given.</param>
/// <param name="ChannelsLastLatencyMilliseconds">
/// The same latency with the batch in channels-last layout (<see cref="Runtime.MemoryLayout"/>), for networks taking image
/// batches; <c>null</c> for other inputs.
/// </param>
public sealed record NetworkFigures(long Parameters, long Macs, double LatencyMilliseconds, double? Accuracy, double? ChannelsLastLatencyMilliseconds = null);
