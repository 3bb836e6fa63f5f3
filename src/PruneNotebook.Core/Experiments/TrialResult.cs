namespace PruneNotebook.Core.Experiments;

/// <summary>
/// What one trial produced, written atomically as <c>results/trial-NNNN.json</c> in the sweep directory: plain JSON a
/// user can read without PruneNotebook (figures by name, fold scores, timing, where it ran; the error and the tail of the
/// log when it failed).
/// </summary>
/// <param name="Index">The trial's index in the sweep.</param>
/// <param name="Status">Done or failed.</param>
/// <param name="Metrics">Figures by name, e.g. <c>finetuned.accuracy</c>, <c>pruned.nonzero_parameters</c>.</param>
/// <param name="Seconds">Wall time of the trial (steps only, not the process start).</param>
/// <param name="Attempt">1 for the first attempt, 2 for the first retry, ….</param>
/// <param name="Version">The PruneNotebook version that ran it.</param>
/// <param name="Host">The machine that ran it.</param>
/// <param name="Threads">libtorch's intra-op threads in the process that ran it.</param>
/// <param name="Finished">When it ended (UTC).</param>
/// <param name="FoldScores">Cross-validation scores per fold, for a crossValidate step.</param>
/// <param name="Error">Why it failed (one line), or <c>null</c>.</param>
/// <param name="LogTail">The last lines of the trial's log when it failed, or <c>null</c>.</param>
public sealed record TrialResult(
    int Index,
    TrialOutcome Status,
    IReadOnlyDictionary<string, double> Metrics,
    double Seconds,
    int Attempt,
    string Version,
    string Host,
    int Threads,
    DateTimeOffset Finished,
    IReadOnlyList<double>? FoldScores = null,
    string? Error = null,
    string? LogTail = null)
{
    /// <summary>A figure by name.</summary>
    /// <exception cref="KeyNotFoundException">The trial did not record it (the message lists what it did record).</exception>
    public double this[string metric] => Metrics.TryGetValue(metric, out var value)
        ? value
        : throw new KeyNotFoundException($"Trial {Index} has no figure '{metric}': it recorded {string.Join(", ", Metrics.Keys)}.");

    /// <summary>A failed result for a trial whose process ended without writing one.</summary>
    public static TrialResult Failure(int index, int attempt, string error, string? logTail, string? host = null) =>
        new(index, TrialOutcome.Failed, new Dictionary<string, double>(), 0, attempt, SweepSpec.CurrentVersion, host ?? Environment.MachineName, 0,
            DateTimeOffset.UtcNow, Error: error, LogTail: logTail);
}
