using System.CommandLine;
using System.Globalization;
using PruneNotebook.Core.Experiments;
using Spectre.Console;
using static TorchSharp.torch;

namespace PruneNotebook.Cli;

/// <summary>
/// <c>prunenotebook trial &lt;sweep-dir&gt; &lt;index&gt;... [--threads N]</c>: the worker. Runs trials of a sweep in this
/// process and writes each result into the sweep directory; with <c>--serve</c> it is a local pool's worker
/// (<see cref="WorkerServer"/>). Exit code 1 when a trial failed.
/// </summary>
internal static class TrialVerb
{
    public static Command Create(IAnsiConsole console)
    {
        var directory = new Argument<DirectoryInfo>("sweep-dir") { Description = "The sweep directory (holds sweep.json)." };
        var indices = new Argument<int[]>("index") { Description = "Trial indices to run, in order.", Arity = ArgumentArity.ZeroOrMore };
        var serve = new Option<bool>("--serve") { Description = "Read requests from standard input, one per line ('run <attempt> <index> <sweep-dir>', or an index of the sweep given here), and answer each on standard output (a local pool's worker; it exits when its input closes)." };
        var attempt = new Option<int>("--attempt") { Description = "Attempt number recorded in the results (1 for the first run).", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads (default: $SLURM_CPUS_PER_TASK under Slurm, else libtorch's default)." };
        var command = new Command("trial", "Run trials of a sweep in this process and write their results (what worker processes and Slurm tasks run).")
        {
            directory, indices, serve, attempt, threads,
        };
        command.SetAction(parsed =>
        {
            var sweep = SweepDirectory.Open(parsed.GetValue(directory)!.FullName);
            var run = parsed.GetValue(indices) ?? [];
            var serving = parsed.GetValue(serve);
            // `trial --serve` is answered by WorkerServer before this command tree is built; here it can only come with indices.
            if (serving == run.Length > 0)
                throw new ArgumentException($"Give trial indices (e.g. trial {sweep.Path} 0 3) or --serve, not {(serving ? "both" : "neither")}.");
            foreach (var index in run)
                if (index < 0 || index >= sweep.Spec.Trials.Count)
                    throw new ArgumentException($"Sweep '{sweep.Spec.Name}' has trials 0 to {sweep.Spec.Trials.Count - 1}, not {index}.");
            var tries = parsed.GetValue(attempt);
            if (tries < 1)
                throw new ArgumentException($"--attempt must be at least 1, got {tries}.");
            SetThreads(parsed.GetValue(threads));
            using var cache = new TrialDataCache();
            var failed = 0;
            foreach (var index in run)
            {
                var result = TrialRunner.Run(sweep, index, tries, cache);
                console.WriteLine(result.Status == TrialOutcome.Done
                    ? string.Format(CultureInfo.InvariantCulture, "trial {0}: done in {1:F1} s", index, result.Seconds)
                    : $"trial {index}: failed: {result.Error} (log: {sweep.LogPath(index)})");
                failed += result.Status == TrialOutcome.Done ? 0 : 1;
            }
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>Limits libtorch to <paramref name="threads"/> threads, or to the CPUs Slurm gave the task.</summary>
    internal static void SetThreads(int? threads)
    {
        if (threads is null && int.TryParse(Environment.GetEnvironmentVariable("SLURM_CPUS_PER_TASK"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var slurm))
            threads = slurm;
        if (threads is { } count)
        {
            if (count < 1)
                throw new ArgumentException($"--threads must be at least 1, got {count}.");
            set_num_threads(count);
        }
    }
}
