namespace PruneNotebook.Core.Reports;

/// <summary>
/// One pruned model of a tradeoff study, with ShrinkBench's figures: sizes and MACs of the pruned network (nonzero
/// weights only), compression and theoretical speedup against the dense network, accuracy before and after fine-tuning.
/// </summary>
/// <param name="Index">The trial's index in the sweep.</param>
/// <param name="Criterion">The criterion's name.</param>
/// <param name="Target">The target: sparsity of the prunable weights, or fraction of units removed.</param>
/// <param name="Seed">The trial's seed.</param>
/// <param name="Parameters">Parameters of the pruned network (fewer after surgery).</param>
/// <param name="NonzeroParameters">Parameters that are not zero.</param>
/// <param name="Macs">MACs of one example through the pruned network.</param>
/// <param name="NonzeroMacs">MACs of nonzero weights only.</param>
/// <param name="Compression">Dense parameters / nonzero parameters.</param>
/// <param name="TheoreticalSpeedup">Dense MACs / nonzero MACs.</param>
/// <param name="MeasuredSpeedup">Dense latency / pruned latency, for surgery (masks make nothing faster); otherwise <c>null</c>.</param>
/// <param name="LatencyMilliseconds">Measured latency of a batch after surgery, or <c>null</c>.</param>
/// <param name="AccuracyBeforeFineTuning">Top-1 accuracy right after pruning.</param>
/// <param name="Accuracy">Top-1 accuracy after fine-tuning.</param>
public sealed record TradeoffTrial(
    int Index,
    string Criterion,
    double Target,
    long Seed,
    long Parameters,
    long NonzeroParameters,
    long Macs,
    long NonzeroMacs,
    double Compression,
    double TheoreticalSpeedup,
    double? MeasuredSpeedup,
    double? LatencyMilliseconds,
    double AccuracyBeforeFineTuning,
    double Accuracy);
