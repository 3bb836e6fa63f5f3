namespace PruneNotebook.Bench;

/// One contender's timed training run: examples trained in the timed region, its wall time, and the
/// test accuracy reached afterwards (a sanity check, not a benchmark figure).
public sealed record ThroughputResult(string Name, long Examples, double Seconds, double TestAccuracy)
{
    public double ImagesPerSecond => Examples / Seconds;

    /// The run with the median throughput (the lower middle one for an even count).
    public static ThroughputResult Median(IReadOnlyList<ThroughputResult> runs) =>
        runs.OrderBy(r => r.ImagesPerSecond).ElementAt((runs.Count - 1) / 2);
}
