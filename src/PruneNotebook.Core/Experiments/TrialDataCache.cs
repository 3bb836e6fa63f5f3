using System.Text.Json;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Keeps the last data a worker loaded, so a process that runs several trials on the same data (a local worker, a Slurm
/// task with several trials, a warm worker serving one sweep after another) reads it once. The data are known by what
/// they are, not by the sweep asking: a shipped dataset is reused across sweeps, a CSV file by its full path while the
/// file is unchanged. Dispose it when the worker is done.
/// </summary>
public sealed class TrialDataCache : IDisposable
{
    private (string Key, TrialData Data)? _last;

    internal TrialData Get(DataSpec spec, SweepDirectory sweep)
    {
        var key = KeyOf(spec, sweep);
        if (_last is { } last && last.Key == key)
            return last.Data;
        _last?.Data.Dispose();
        _last = null;
        var data = TrialData.Load(spec, sweep);
        _last = (key, data);
        return data;
    }

    /// <summary>The spec as JSON with a CSV file's full path and last write time (so an edited file is read again).</summary>
    private static string KeyOf(DataSpec spec, SweepDirectory sweep)
    {
        if (spec.Key != DataSpec.CsvName || spec.File is null)
            return JsonSerializer.Serialize(spec);
        var file = sweep.Resolve(spec.File);
        return JsonSerializer.Serialize(spec with { File = file }) + "@" + File.GetLastWriteTimeUtc(file).Ticks;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _last?.Data.Dispose();
        _last = null;
    }
}
