namespace PruneNotebook.Core.Reports;

/// <summary>What a network surgery (trim, compress, drop layers) did: figures before and after and the changed layers.</summary>
/// <param name="Operation">What was done, e.g. <c>compress l1 50 % local</c>.</param>
/// <param name="ModelName">The model's type name.</param>
/// <param name="InputShape">Shape of one example the MACs are counted for, batch dimension included (1).</param>
/// <param name="LatencyBatch">Batch size the latency was measured with.</param>
/// <param name="Before">Figures before the surgery.</param>
/// <param name="After">Figures after it.</param>
/// <param name="Layers">Layers that were rebuilt smaller, in forward order.</param>
/// <param name="Candidates">For layer pruning: every layer considered, most expendable first; empty otherwise.</param>
/// <param name="Removal">
/// For trim, compress and drop layers: what was asked, what was removed and why any of it was kept
/// (<see cref="RemovalSummary.Shortfall"/>); <c>null</c> for operations that remove nothing (folding BatchNorms).
/// </param>
public sealed record SurgeryReport(
    string Operation,
    string ModelName,
    IReadOnlyList<long> InputShape,
    int LatencyBatch,
    NetworkFigures Before,
    NetworkFigures After,
    IReadOnlyList<LayerChange> Layers,
    IReadOnlyList<LayerDropCandidate> Candidates,
    RemovalSummary? Removal = null)
{
    /// <summary>Before ÷ after MACs (2 means half the MACs).</summary>
    public double MacReduction => After.Macs == 0 ? double.PositiveInfinity : (double)Before.Macs / After.Macs;

    /// <summary>Before ÷ after parameters.</summary>
    public double ParameterReduction => After.Parameters == 0 ? double.PositiveInfinity : (double)Before.Parameters / After.Parameters;

    /// <summary>Before ÷ after measured latency, both with the batch as it comes.</summary>
    public double Speedup => After.LatencyMilliseconds <= 0 ? double.PositiveInfinity : Before.LatencyMilliseconds / After.LatencyMilliseconds;

    /// <summary>
    /// The latency before, with the batch as it comes, ÷ the latency after with channels-last inputs: what serving the
    /// smaller network channels-last (<see cref="Runtime.MemoryLayout.UseChannelsLast"/>) gains over the network as it
    /// was. <c>null</c> for networks that do not take image batches.
    /// </summary>
    public double? ChannelsLastSpeedup => After.ChannelsLastLatencyMilliseconds is { } after
        ? after <= 0 ? double.PositiveInfinity : Before.LatencyMilliseconds / after
        : null;
}
