using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// How a surgery measures the network before and after: latency batch and optional evaluation data. Networks taking
/// image batches are timed twice, with the batch as it comes (NCHW) and in channels-last layout.
/// </summary>
/// <param name="Evaluation">Data for the accuracy before and after (and for ranking layers to drop), or <c>null</c>.</param>
/// <param name="LatencyBatch">Batch size for the latency (≥ 1).</param>
/// <param name="LatencyRepeats">Timed forward passes; the fastest is reported (≥ 1).</param>
public sealed record SurgeryMeasurement(TensorDataset? Evaluation = null, int LatencyBatch = 64, int LatencyRepeats = 10)
{
    internal NetworkFigures Take(nn.Module<Tensor, Tensor> model, IReadOnlyList<long> inputShape)
    {
        var summary = NetworkSummary.Create(model, inputShape);
        long[] batch = [LatencyBatch, .. inputShape.Skip(1)];
        var latency = Latency.Measure(model, batch, LatencyRepeats);
        double? channelsLast = batch.Length == 4 ? Latency.Measure(model, batch, LatencyRepeats, channelsLast: true) : null;
        var accuracy = Evaluation is null ? (double?)null : Trainer.Evaluate(model, Evaluation).Accuracy;
        return new NetworkFigures(summary.TotalParameters, summary.TotalMacs, latency, accuracy, channelsLast);
    }

    internal void Validate()
    {
        if (LatencyBatch < 1 || LatencyRepeats < 1)
            throw new ArgumentException($"Latency needs a batch of at least 1 and at least 1 timed pass, got batch {LatencyBatch} and {LatencyRepeats} passes.", nameof(LatencyBatch));
    }
}
