using System.Diagnostics;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Runs a sweep on a backend: wave by wave, only the trials without a successful result (so running a sweep again
/// resumes it), each failed trial retried up to <see cref="SweepRunOptions.Retries"/> times. A wave with failures stops
/// the run before the next wave (whose trials would build on it). Interrupting a run loses at most the trials that were
/// running: every finished trial's result is already on disk.
/// </summary>
public static class SweepRunner
{
    /// <summary>Runs the unfinished trials of <paramref name="sweep"/> on <paramref name="backend"/>.</summary>
    /// <param name="sweep">The sweep directory.</param>
    /// <param name="backend">Where the trials run.</param>
    /// <param name="options">Retries and an optional subset of trials.</param>
    /// <param name="progress">Receives a snapshot whenever a trial changes state (from any thread).</param>
    /// <param name="cancellationToken">Stops the run; trials that were running have no result and run on resume.</param>
    /// <returns>Every trial's result as the directory holds it afterwards.</returns>
    /// <exception cref="ArgumentException">An option is out of range or a trial index does not exist.</exception>
    /// <exception cref="SweepBackendException">The backend cannot run here or stopped working.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static SweepOutcome Run(SweepDirectory sweep, ISweepBackend backend, SweepRunOptions? options = null, IProgress<SweepProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(backend);
        options ??= new SweepRunOptions();
        options.Validate();
        var count = sweep.Spec.Trials.Count;
        if (options.Trials?.FirstOrDefault(i => i < 0 || i >= count, -1) is { } bad and >= 0)
            throw new ArgumentException($"Sweep '{sweep.Spec.Name}' has trials 0 to {count - 1}, not {bad}.", nameof(options));
        var selected = options.Trials?.ToHashSet();
        var watch = Stopwatch.StartNew();
        var states = Enumerable.Range(0, count).Select(sweep.StateOf).ToArray();
        var gate = new object();
        var waves = sweep.Spec.Waves;
        var (wave, attempt) = (0, 1);
        void Report(bool finished = false)
        {
            if (progress is null)
                return;
            SweepProgress snapshot;
            lock (gate)
                snapshot = new SweepProgress(sweep.Spec.Name, backend.Describe(), states.ToArray(), wave, waves.Count, attempt, watch.Elapsed.TotalSeconds, finished);
            progress.Report(snapshot);
        }

        if (sweep.Unfinished(options.Trials).Count > 0)
            backend.Check(sweep);
        foreach (var (number, trials) in waves)
        {
            wave++;
            var todo = trials.Where(i => (selected is null || selected.Contains(i)) && states[i] != TrialState.Done).ToList();
            for (attempt = 1; todo.Count > 0 && attempt <= options.Retries + 1; attempt++)
            {
                lock (gate)
                    foreach (var i in todo)
                        states[i] = TrialState.Queued;
                Report();
                backend.Run(sweep, todo, attempt, (i, state) =>
                {
                    lock (gate)
                        states[i] = state;
                    Report();
                }, cancellationToken);
                foreach (var i in todo.Where(i => sweep.ReadResult(i) is null))
                    sweep.WriteResult(TrialResult.Failure(i, attempt, $"{backend.Describe()} ended without a result for this trial.", sweep.LogTail(i)));
                lock (gate)
                    foreach (var i in todo)
                        states[i] = sweep.StateOf(i);
                todo = todo.Where(i => states[i] != TrialState.Done).ToList();
            }
            attempt = Math.Max(1, attempt - 1);
            if (todo.Count > 0)
                break;
        }
        Report(finished: true);
        return new SweepOutcome(sweep, sweep.ReadResults(), backend.Describe(), watch.Elapsed.TotalSeconds);
    }
}
