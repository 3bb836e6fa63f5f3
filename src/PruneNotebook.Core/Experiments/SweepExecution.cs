namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Runs a search's or sensitivity scan's trials out of this process, as a sweep: where (<paramref name="Backend"/>), in
/// which directory, with how many retries, reporting progress. Given to <c>GridSearch</c>, <c>RandomSearch</c>,
/// <c>SuccessiveHalving</c> and <see cref="SensitivityStudy"/>.
/// </summary>
/// <param name="Backend">Where trials run (a local pool, a Slurm backend, or <see cref="InProcessBackend"/>).</param>
/// <param name="Directory">The sweep directory; default <see cref="SweepDirectory.DefaultPath"/> (a rerun of the same search resumes it).</param>
/// <param name="Options">Retries.</param>
/// <param name="Progress">Receives the sweep's progress.</param>
/// <param name="CancellationToken">Stops the trials.</param>
public sealed record SweepExecution(
    ISweepBackend Backend,
    string? Directory = null,
    SweepRunOptions? Options = null,
    IProgress<SweepProgress>? Progress = null,
    CancellationToken CancellationToken = default)
{
    /// <summary>Lets the backend get ready for <paramref name="trials"/> trials (a local pool starts its workers) while the sweep is prepared.</summary>
    internal void Prepare(int trials) => Backend.Prepare(trials);

    /// <summary>Creates (or reopens) the sweep directory for <paramref name="spec"/>.</summary>
    internal SweepDirectory Create(SweepSpec spec) => SweepDirectory.Create(Directory ?? SweepDirectory.DefaultPath(spec), spec);

    /// <summary>Runs <paramref name="trials"/> of <paramref name="sweep"/> and returns their results, all successful.</summary>
    /// <exception cref="SweepBackendException">A trial failed after its retries (one line: which and why), or the backend cannot run.</exception>
    internal IReadOnlyList<TrialResult> Run(SweepDirectory sweep, IReadOnlyList<int> trials)
    {
        var outcome = SweepRunner.Run(sweep, Backend, (Options ?? new SweepRunOptions()) with { Trials = trials }, Progress, CancellationToken);
        var selected = trials.Select(i => outcome.Results[i]).ToList();
        if (selected.Any(r => r is not { Status: TrialOutcome.Done }))
            (outcome with { Results = selected }).EnsureSucceeded();
        return selected.Select(r => r!).ToList();
    }
}
