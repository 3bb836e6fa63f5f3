using System.Globalization;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Runtime;
using static TorchSharp.torch;

namespace PruneNotebook.Cli;

/// <summary>
/// A local pool's worker: <c>prunenotebook trial [&lt;sweep-dir&gt;] --serve [--attempt N] [--threads N]</c>. It reads
/// requests on its standard input, one per line, runs each trial and answers <c>@@trial &lt;index&gt; done|failed</c> on its
/// standard output once the result is written. A request is <c>run &lt;attempt&gt; &lt;index&gt; &lt;sweep-dir&gt;</c> (so one warm
/// worker serves any sweep, one after the other), or a bare <c>&lt;index&gt;</c> of the sweep and attempt given on the command
/// line. The worker exits when its input closes: when the pool lets it go, or when the process that started it dies.
/// </summary>
/// <remarks>
/// Reached before the command tree is built (<see cref="Handles"/>): a worker's start is paid by every sweep that starts
/// one, so it builds no parser, no console and loads libtorch on a second thread while it reads the sweep. A worker keeps
/// what the next trial can reuse: libtorch and the JIT-compiled code, the last sweep it opened and the last data it loaded
/// (<see cref="TrialDataCache"/>).
/// </remarks>
internal static class WorkerServer
{
    /// <summary>The request naming its sweep.</summary>
    public const string RunRequest = "run";

    /// <summary>Whether <paramref name="args"/> start a worker (<c>trial … --serve</c>).</summary>
    public static bool Handles(string[] args) => args is ["trial", ..] && args.Contains("--serve");

    /// <summary>Serves requests from <paramref name="input"/> until it closes.</summary>
    /// <returns><see cref="CliApp.Success"/> when the input closed, else the exit code of the failure (one line on <paramref name="error"/>).</returns>
    public static int Run(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        string? directory = null;
        var attempt = 1;
        int? threads = null;
        try
        {
            for (var i = 1; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--serve":
                        break;
                    case "--attempt":
                        attempt = Number(args, ++i, "--attempt");
                        break;
                    case "--threads":
                        threads = Number(args, ++i, "--threads");
                        break;
                    case var other when other.StartsWith('-'):
                        throw new ArgumentException($"Unknown option '{other}' for trial --serve: expected --attempt N or --threads N.");
                    case var other when directory is null:
                        directory = other;
                        break;
                    default:
                        throw new ArgumentException($"Give trial indices (e.g. trial {directory} 0 3) or --serve, not both.");
                }
            }
            if (attempt < 1)
                throw new ArgumentException($"--attempt must be at least 1, got {attempt}.");
            if (threads is < 1)
                throw new ArgumentException($"--threads must be at least 1, got {threads}.");
        }
        catch (ArgumentException e)
        {
            return CliApp.Report(e, error);
        }

        try
        {
            // libtorch (~0.5 s of CPU to load) on a second thread while this one reads the sweep.
            var torchLoad = Task.Run(() =>
            {
                AllocatorTuning.Apply();
                TorchNativeLibraries.EnsureLoaded();
            });
            var fixedSweep = directory is null ? null : SweepDirectory.Open(Path.GetFullPath(directory));
            torchLoad.GetAwaiter().GetResult();
            TrialVerb.SetThreads(threads);   // on the thread that runs the trials
            Serve(input, output, fixedSweep, attempt);
            return CliApp.Success;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return CliApp.Report(e, error);
        }
    }

    private static void Serve(TextReader input, TextWriter output, SweepDirectory? fixedSweep, int fixedAttempt)
    {
        using var cache = new TrialDataCache();
        (string Path, DateTime Written, SweepDirectory Sweep)? last = null;
        for (var line = input.ReadLine(); line is not null; line = input.ReadLine())
        {
            SweepDirectory sweep;
            int index, attempt;
            if (line.StartsWith(RunRequest + " ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length != 4 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out attempt) || attempt < 1
                    || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out index))
                    throw new ArgumentException($"--serve expects 'run <attempt> <index> <sweep-dir>' or '<index>' per line, got '{line}'.");
                var path = Path.GetFullPath(parts[3]);
                var written = File.GetLastWriteTimeUtc(Path.Combine(path, SweepDirectory.SpecFileName));
                if (last is not { } l || l.Path != path || l.Written != written)
                    last = (path, written, SweepDirectory.Open(path));
                sweep = last.Value.Sweep;
            }
            else if (int.TryParse(line.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out index))
            {
                sweep = fixedSweep ?? throw new ArgumentException($"--serve without a sweep directory expects 'run <attempt> <index> <sweep-dir>' per line, got '{line}'.");
                attempt = fixedAttempt;
            }
            else
            {
                throw new ArgumentException($"--serve expects 'run <attempt> <index> <sweep-dir>' or '<index>' per line, got '{line}'.");
            }
            if (index >= sweep.Spec.Trials.Count)
                throw new ArgumentException($"Sweep '{sweep.Spec.Name}' has trials 0 to {sweep.Spec.Trials.Count - 1}, not {index}.");
            var result = TrialRunner.Run(sweep, index, attempt, cache);
            output.WriteLine($"@@trial {index} {(result.Status == TrialOutcome.Done ? "done" : "failed")}");
            output.Flush();
        }
    }

    private static int Number(string[] args, int i, string option)
    {
        if (i >= args.Length || !int.TryParse(args[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw new ArgumentException($"{option} expects a whole number, e.g. {option} 1.");
        return value;
    }
}
