namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Keeps the last data a worker loaded, so a process that runs several trials on the same data (a local worker, a Slurm
/// task with several trials) reads it once. Dispose it when the worker is done.
/// </summary>
public sealed class TrialDataCache : IDisposable
{
    private (DataSpec Spec, string Sweep, TrialData Data)? _last;

    internal TrialData Get(DataSpec spec, SweepDirectory sweep)
    {
        if (_last is { } last && last.Spec == spec && last.Sweep == sweep.Path)
            return last.Data;
        _last?.Data.Dispose();
        _last = null;
        var data = TrialData.Load(spec, sweep);
        _last = (spec, sweep.Path, data);
        return data;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _last?.Data.Dispose();
        _last = null;
    }
}
