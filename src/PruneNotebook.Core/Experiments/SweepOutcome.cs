namespace PruneNotebook.Core.Experiments;

/// <summary>A finished (or stopped) sweep run: every trial's result as the sweep directory holds it.</summary>
/// <param name="Sweep">The sweep directory.</param>
/// <param name="Results">Each trial's result by index, <c>null</c> for trials that did not run (a later wave after failures).</param>
/// <param name="Backend">How it ran.</param>
/// <param name="Seconds">Wall time of the run.</param>
public sealed record SweepOutcome(SweepDirectory Sweep, IReadOnlyList<TrialResult?> Results, string Backend, double Seconds)
{
    /// <summary>Trials with a successful result.</summary>
    public int Done => Results.Count(r => r?.Status == TrialOutcome.Done);

    /// <summary>Results of trials whose last attempt failed.</summary>
    public IReadOnlyList<TrialResult> Failures => Results.Where(r => r?.Status == TrialOutcome.Failed).Select(r => r!).ToArray();

    /// <summary>Whether every trial has a successful result.</summary>
    public bool Succeeded => Done == Results.Count;

    /// <summary>Throws unless every trial succeeded.</summary>
    /// <exception cref="SweepBackendException">One line: how many failed or did not run, the first error and where its log is.</exception>
    public void EnsureSucceeded()
    {
        if (Succeeded)
            return;
        var missing = Results.Count(r => r is null);
        var first = Failures.FirstOrDefault();
        throw new SweepBackendException(
            $"{Results.Count - Done} of {Results.Count} trials of '{Sweep.Spec.Name}' have no result"
            + (first is null ? "" : $" (trial {first.Index} failed: {first.Error}; log {Sweep.LogPath(first.Index)})")
            + (missing > 0 ? $", {missing} did not run" : "")
            + $": fix the cause and run the sweep again, it runs only those ({Sweep.Path}).");
    }
}
