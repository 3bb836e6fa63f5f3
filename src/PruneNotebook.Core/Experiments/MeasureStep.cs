using PruneNotebook.Core.Analysis;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Counts the trial's model as ShrinkBench reports it: adds <c>&lt;label&gt;.parameters</c>, <c>.nonzero_parameters</c>,
/// <c>.macs</c> and <c>.nonzero_macs</c> (one example), and with <paramref name="Latency"/> <c>.latency_ms</c> (the
/// fastest of <paramref name="LatencyRepeats"/> forward passes of a batch of <paramref name="LatencyBatch"/>).
/// </summary>
/// <param name="Label">Prefix of the figures, e.g. <c>dense</c> or <c>pruned</c>.</param>
/// <param name="Latency">Also time forward passes.</param>
/// <param name="LatencyBatch">Batch size for the latency (≥ 1).</param>
/// <param name="LatencyRepeats">Timed passes (≥ 1).</param>
public sealed record MeasureStep(string Label = "model", bool Latency = false, int LatencyBatch = 64, int LatencyRepeats = 10) : TrialStep
{
    internal override void Validate(DataSpec data)
    {
        TrialContext.CheckLabel(Label);
        if (LatencyBatch < 1 || LatencyRepeats < 1)
            throw new ArgumentException($"Latency needs a batch of at least 1 and at least 1 timed pass, got batch {LatencyBatch} and {LatencyRepeats} passes.");
    }

    internal override void Run(TrialContext context)
    {
        var shape = context.InputShape;
        var summary = NetworkSummary.Create(context.Model, shape);
        context.Add(Label, "parameters", summary.TotalParameters);
        context.Add(Label, "nonzero_parameters", summary.TotalNonzeroParameters);
        context.Add(Label, "macs", summary.TotalMacs);
        context.Add(Label, "nonzero_macs", summary.TotalNonzeroMacs);
        if (Latency)
            context.Add(Label, "latency_ms", Analysis.Latency.Measure(context.Model, [LatencyBatch, .. shape.Skip(1)], LatencyRepeats));
    }

    internal override string Describe() => $"measure ({Label}){(Latency ? $", latency of a batch of {LatencyBatch}" : "")}";
}
