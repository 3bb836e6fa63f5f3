namespace PruneNotebook.Core.Reports;

/// <summary>
/// One criterion at one target, over its seeds: means and standard deviations (sample, n − 1, as pandas computes them;
/// 0 for a single seed) of the figures of <see cref="TradeoffTrial"/>.
/// </summary>
/// <param name="Criterion">The criterion's name.</param>
/// <param name="Target">The target.</param>
/// <param name="Seeds">Trials averaged (seeds with a result).</param>
/// <param name="Compression">Mean compression.</param>
/// <param name="CompressionStd">Its standard deviation.</param>
/// <param name="TheoreticalSpeedup">Mean theoretical speedup.</param>
/// <param name="TheoreticalSpeedupStd">Its standard deviation.</param>
/// <param name="MeasuredSpeedup">Mean measured speedup (surgery), or <c>null</c>.</param>
/// <param name="MeasuredSpeedupStd">Its standard deviation, or <c>null</c>.</param>
/// <param name="AccuracyBeforeFineTuning">Mean accuracy right after pruning.</param>
/// <param name="AccuracyBeforeFineTuningStd">Its standard deviation.</param>
/// <param name="Accuracy">Mean accuracy after fine-tuning.</param>
/// <param name="AccuracyStd">Its standard deviation.</param>
public sealed record TradeoffPoint(
    string Criterion,
    double Target,
    int Seeds,
    double Compression,
    double CompressionStd,
    double TheoreticalSpeedup,
    double TheoreticalSpeedupStd,
    double? MeasuredSpeedup,
    double? MeasuredSpeedupStd,
    double AccuracyBeforeFineTuning,
    double AccuracyBeforeFineTuningStd,
    double Accuracy,
    double AccuracyStd);
