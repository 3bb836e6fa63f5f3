using System.Diagnostics;
using System.Globalization;
using PruneNotebook.Core.Runtime;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Runs one trial of a sweep in this process and records it: its steps in order, its log appended to
/// <c>logs/trial-NNNN.log</c>, and its result (done with the figures, or failed with the error and the log's tail) written
/// atomically. This is what a worker process (<c>prunenotebook trial &lt;sweep-dir&gt; &lt;index&gt;</c>) does.
/// </summary>
public static class TrialRunner
{
    /// <summary>Runs trial <paramref name="index"/> of <paramref name="sweep"/> and writes its result.</summary>
    /// <param name="sweep">The sweep.</param>
    /// <param name="index">The trial.</param>
    /// <param name="attempt">Which attempt this is (1 for the first), recorded in the result.</param>
    /// <param name="cache">Keeps loaded data for the next trial of the same process; <c>null</c> loads and frees it here.</param>
    /// <param name="cancellationToken">Checked between steps; a cancelled trial writes no result.</param>
    /// <returns>The result written (a failure of the trial itself is a failed result, not an exception).</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such trial.</exception>
    /// <exception cref="IOException">The log or the result cannot be written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; no result was written.</exception>
    public static TrialResult Run(SweepDirectory sweep, int index, int attempt = 1, TrialDataCache? cache = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        if (index < 0 || index >= sweep.Spec.Trials.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Sweep '{sweep.Spec.Name}' has trials 0 to {sweep.Spec.Trials.Count - 1}, not {index}.");
        var spec = sweep.Spec.Trials[index];
        var c = CultureInfo.InvariantCulture;
        var watch = Stopwatch.StartNew();
        TorchNativeLibraries.EnsureLoaded();
        var threads = get_num_threads();
        Dictionary<string, double>? metrics = null;
        IReadOnlyList<double>? foldScores = null;
        string? error = null;
        using (var log = OpenLog(sweep.LogPath(index)))
        {
            log.WriteLine(string.Format(c, "== trial {0} of '{1}' · attempt {2} · {3} pid {4} · PruneNotebook {5} · {6} thread(s) · {7:u}",
                index, sweep.Spec.Name, attempt, Environment.MachineName, Environment.ProcessId, SweepSpec.CurrentVersion, threads, DateTimeOffset.UtcNow));
            try
            {
                var owned = cache is null ? TrialData.Load(spec.Data, sweep) : null;
                try
                {
                    var data = owned ?? cache!.Get(spec.Data, sweep);
                    using var context = new TrialContext(sweep, spec, data);
                    for (var i = 0; i < spec.Steps.Count; i++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var stepWatch = Stopwatch.StartNew();
                        log.WriteLine($"step {i + 1}/{spec.Steps.Count}: {spec.Steps[i].Describe()}");
                        using (NewDisposeScope())
                            spec.Steps[i].Run(context);
                        log.WriteLine(string.Format(c, "  {0:F2} s", stepWatch.Elapsed.TotalSeconds));
                    }
                    metrics = context.Metrics;
                    foldScores = context.FoldScores;
                }
                finally
                {
                    owned?.Dispose();
                }
                log.WriteLine(string.Format(c, "done in {0:F2} s: {1}", watch.Elapsed.TotalSeconds,
                    string.Join(", ", metrics.Select(m => string.Format(c, "{0}={1:G6}", m.Key, m.Value)))));
            }
            catch (OperationCanceledException)
            {
                log.WriteLine("cancelled: no result written");
                throw;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                error = $"{e.GetType().Name}: {e.Message.Split('\n', 2)[0].Split(" (Parameter '", 2)[0].Trim()}";
                log.WriteLine($"failed: {e}");
            }
        }
        var result = error is null
            ? new TrialResult(index, TrialOutcome.Done, metrics!, watch.Elapsed.TotalSeconds, attempt, SweepSpec.CurrentVersion, Environment.MachineName,
                threads, DateTimeOffset.UtcNow, foldScores)
            : new TrialResult(index, TrialOutcome.Failed, new Dictionary<string, double>(), watch.Elapsed.TotalSeconds, attempt, SweepSpec.CurrentVersion,
                Environment.MachineName, threads, DateTimeOffset.UtcNow, Error: error, LogTail: sweep.LogTail(index));
        sweep.WriteResult(result);
        return result;
    }

    private static StreamWriter OpenLog(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        return new StreamWriter(stream) { AutoFlush = true };
    }
}
