using System.CommandLine;
using System.Globalization;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Sweeps;
using Spectre.Console;

namespace PruneNotebook.Cli;

/// <summary>
/// <c>prunenotebook sweep create|run &lt;spec.json&gt; --dir &lt;sweep-dir&gt;</c>, <c>sweep resume &lt;sweep-dir&gt;</c> and
/// <c>sweep status &lt;sweep-dir&gt;</c>: create a sweep directory, run its trials as worker processes, pick it up again
/// after an interruption (only trials without a successful result run), and see where each trial stands.
/// </summary>
internal static class SweepVerb
{
    public static Command Create(IAnsiConsole console) =>
        new("sweep", "Run, resume and inspect sweeps: trials as separate worker processes, on this machine or as Slurm job arrays.")
        {
            CreateCommand(console), RunCommand(console), ResumeCommand(console), StatusCommand(console),
        };

    private static Command CreateCommand(IAnsiConsole console)
    {
        var spec = new Argument<FileInfo>("spec") { Description = "The sweep spec: JSON with a name and its trials." };
        var directory = new Option<DirectoryInfo>("--dir") { Description = "The sweep directory to create (or to find holding this same sweep).", Required = true };
        var command = new Command("create", "Create a sweep directory from a spec without running anything (for other schedulers: each worker runs 'prunenotebook trial <dir> <index>').")
        {
            spec, directory,
        };
        command.SetAction(parsed =>
        {
            var sweep = SweepDirectory.Create(parsed.GetValue(directory)!.FullName, SweepDirectory.ReadSpec(parsed.GetValue(spec)!.FullName));
            console.WriteLine($"{sweep.Spec.Name}: {sweep.Spec.Trials.Count} trials in {sweep.Spec.Waves.Count} wave(s), {sweep.Unfinished().Count} without a result, in {sweep.Path}");
            foreach (var (wave, trials) in sweep.Spec.Waves)
                console.WriteLine($"wave {wave}: trials {trials[0]}..{trials[^1]} ({trials.Count})");
            return 0;
        });
        return command;
    }

    private static Command RunCommand(IAnsiConsole console)
    {
        var spec = new Argument<FileInfo>("spec") { Description = "The sweep spec: JSON with a name and its trials (see the README)." };
        var directory = new Option<DirectoryInfo>("--dir") { Description = "The sweep directory (created; if it holds this same sweep, the run resumes it).", Required = true };
        var options = new SweepOptions();
        var command = new Command("run", "Create a sweep directory from a spec and run every trial.") { spec, directory };
        foreach (var option in options.All)
            command.Add(option);
        command.SetAction(parsed =>
        {
            var backend = options.CreateBackend(parsed);
            var runOptions = options.RunOptions(parsed);
            runOptions.Validate();
            var sweep = SweepDirectory.Create(parsed.GetValue(directory)!.FullName, SweepDirectory.ReadSpec(parsed.GetValue(spec)!.FullName));
            SweepConsole.Run(console, sweep, backend, runOptions).EnsureSucceeded();
            return 0;
        });
        return command;
    }

    private static Command ResumeCommand(IAnsiConsole console)
    {
        var directory = new Argument<DirectoryInfo>("sweep-dir") { Description = "The sweep directory." };
        var options = new SweepOptions();
        var command = new Command("resume", "Run the trials of a sweep that have no successful result (after an interruption, a cancelled job or failures).") { directory };
        foreach (var option in options.All)
            command.Add(option);
        command.SetAction(parsed =>
        {
            var backend = options.CreateBackend(parsed);
            var runOptions = options.RunOptions(parsed);
            runOptions.Validate();
            var sweep = SweepDirectory.Open(parsed.GetValue(directory)!.FullName);
            SweepConsole.Run(console, sweep, backend, runOptions).EnsureSucceeded();
            return 0;
        });
        return command;
    }

    private static Command StatusCommand(IAnsiConsole console)
    {
        var directory = new Argument<DirectoryInfo>("sweep-dir") { Description = "The sweep directory." };
        var command = new Command("status", "Show each trial of a sweep: queued, running (Slurm), done or failed, with figures and errors.") { directory };
        command.SetAction(parsed =>
        {
            var sweep = SweepDirectory.Open(parsed.GetValue(directory)!.FullName);
            var results = sweep.ReadResults();
            var outcome = new SweepOutcome(sweep, results, "status", 0);
            console.Write(SweepConsole.Results(outcome, SlurmBackend.LiveTrials(sweep, TimeSpan.FromSeconds(20))));
            foreach (var failure in outcome.Failures)
                console.WriteLine(Markup.Escape($"trial {failure.Index.ToString(CultureInfo.InvariantCulture)}: {failure.Error} (log: {sweep.LogPath(failure.Index)})"));
            return 0;
        });
        return command;
    }
}
