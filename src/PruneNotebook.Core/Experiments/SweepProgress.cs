namespace PruneNotebook.Core.Experiments;

/// <summary>A snapshot of a running sweep: each trial's state, for a progress bar or a live table.</summary>
/// <param name="Sweep">The sweep's name.</param>
/// <param name="Backend">How it runs (<see cref="ISweepBackend.Describe"/>).</param>
/// <param name="States">Each trial's state, by index.</param>
/// <param name="Wave">The wave running (1-based), and <paramref name="Waves"/> in all.</param>
/// <param name="Waves">Waves in the sweep.</param>
/// <param name="Attempt">The attempt running (1, or more while retrying failures).</param>
/// <param name="Seconds">Time since the run started.</param>
/// <param name="Finished">Whether the run is over.</param>
public sealed record SweepProgress(string Sweep, string Backend, IReadOnlyList<TrialState> States, int Wave, int Waves, int Attempt, double Seconds, bool Finished = false)
{
    /// <summary>Trials without a result, not running.</summary>
    public int Queued => States.Count(s => s == TrialState.Queued);

    /// <summary>Trials running now.</summary>
    public int Running => States.Count(s => s == TrialState.Running);

    /// <summary>Trials with a successful result.</summary>
    public int Done => States.Count(s => s == TrialState.Done);

    /// <summary>Trials whose last attempt failed.</summary>
    public int Failed => States.Count(s => s == TrialState.Failed);

    /// <summary>E.g. <c>7/12 done · 1 failed · 2 running · 2 queued</c>.</summary>
    public string Summary => $"{Done}/{States.Count} done · {Failed} failed · {Running} running · {Queued} queued";
}
