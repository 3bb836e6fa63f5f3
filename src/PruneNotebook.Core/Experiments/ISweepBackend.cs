namespace PruneNotebook.Core.Experiments;

/// <summary>
/// How a sweep's trials get run: in this process, by a pool of local worker processes, as a Slurm job array, ….
/// <see cref="SweepRunner"/> drives a backend wave by wave and retries what failed; a backend only runs the trials it is
/// given. Backends that run trials elsewhere start workers that call <see cref="TrialRunner.Run"/> (the CLI's
/// <c>trial</c> verb).
/// </summary>
public interface ISweepBackend
{
    /// <summary>A short description for progress displays, e.g. <c>local pool (2 workers × 1 thread)</c>.</summary>
    string Describe();

    /// <summary>
    /// Gets ready to run up to <paramref name="trials"/> trials soon, before the sweep exists: a local pool starts its
    /// workers here, so they load while the caller writes the sweep's inputs. Optional; does nothing by default.
    /// </summary>
    /// <exception cref="SweepBackendException">It cannot (the message says what to do).</exception>
    void Prepare(int trials)
    {
    }

    /// <summary>Checks, before anything runs, that this backend can run trials of <paramref name="sweep"/> here (worker program found, scheduler answers, …).</summary>
    /// <exception cref="SweepBackendException">It cannot (the message says what to do).</exception>
    void Check(SweepDirectory sweep);

    /// <summary>
    /// Runs each of <paramref name="trials"/> once and returns when every one has a result file. A trial whose worker died
    /// without writing one (crash, out of memory, cancelled task) gets a failed result with the tail of its log, written
    /// by the backend; no other trial's result is touched.
    /// </summary>
    /// <param name="sweep">The sweep.</param>
    /// <param name="trials">Trial indices to run.</param>
    /// <param name="attempt">1 for the first attempt, 2 for the first retry, …; recorded in the results.</param>
    /// <param name="report">Called (from any thread) when a trial starts running and when it is done or failed.</param>
    /// <param name="cancellationToken">Stops the workers; trials that were running get no result and run again on resume.</param>
    /// <exception cref="SweepBackendException">The backend stopped working (the scheduler went away, a submission was refused).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    void Run(SweepDirectory sweep, IReadOnlyList<int> trials, int attempt, Action<int, TrialState> report, CancellationToken cancellationToken);
}
