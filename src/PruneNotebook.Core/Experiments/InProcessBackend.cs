namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Runs trials one after another in this process, with one data cache for the run: no worker processes, no parallelism.
/// The reference the other backends are compared with, and the default of the library's API.
/// </summary>
public sealed class InProcessBackend : ISweepBackend
{
    /// <inheritdoc />
    public string Describe() => "in-process";

    /// <inheritdoc />
    public void Check(SweepDirectory sweep)
    {
    }

    /// <inheritdoc />
    public void Run(SweepDirectory sweep, IReadOnlyList<int> trials, int attempt, Action<int, TrialState> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(report);
        using var cache = new TrialDataCache();
        foreach (var index in trials)
        {
            cancellationToken.ThrowIfCancellationRequested();
            report(index, TrialState.Running);
            var result = TrialRunner.Run(sweep, index, attempt, cache, cancellationToken);
            report(index, result.Status == TrialOutcome.Done ? TrialState.Done : TrialState.Failed);
        }
    }
}
