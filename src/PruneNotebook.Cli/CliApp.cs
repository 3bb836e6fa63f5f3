using System.CommandLine;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Runtime;
using Spectre.Console;

namespace PruneNotebook.Cli;

/// <summary>
/// The <c>prunenotebook</c> command line: one verb per magic command, recipes (<c>run</c>), and <c>sweep</c> with its
/// worker <c>trial</c> for experiments that run as separate processes. A wrong command line is one line on the error
/// stream and exit code 2, a failed file or backend one line and exit code 1; a bug says so in one line, followed by
/// the details to report, and exits with 70. The input files are never changed.
/// </summary>
public static class CliApp
{
    /// <summary>Exit code: the work was done.</summary>
    public const int Success = 0;

    /// <summary>Exit code: the work failed (a file that cannot be read or written, a failed trial, an error while running).</summary>
    public const int Failure = 1;

    /// <summary>Exit code: the command line was wrong (an unknown verb or option, a bad or missing value); nothing ran.</summary>
    public const int UsageError = 2;

    /// <summary>Runs the command line <paramref name="args"/>, writing results to <paramref name="console"/> and errors to <paramref name="error"/>.</summary>
    /// <returns><see cref="Success"/>, <see cref="Failure"/>, <see cref="UsageError"/> or <see cref="InternalError"/>.</returns>
    public static int Run(string[] args, IAnsiConsole console, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);
        // A pool's worker skips the command tree: its start is paid by every sweep that starts one.
        if (WorkerServer.Handles(args))
            return WorkerServer.Run(args, Console.In, Console.Out, error);
        var root = new RootCommand("Shrink and tune neural networks without a notebook: summaries, training, pruning, network surgery, sensitivity, feature and model selection, sweeps and tradeoff studies.")
        {
            SummaryVerb.Create(console),
            TrainVerb.Create(console),
            PruneVerb.Create(console),
            EvaluateVerb.Create(console),
            TrialVerb.Create(console),
            SweepVerb.Create(console),
            TradeoffVerb.Create(console),
            RunVerb.Create(console, error),
        };
        foreach (var verb in SurgeryVerbs.Create(console).Append(SensitivityVerb.Create(console)).Concat(SelectionVerbs.Create(console)))
            root.Add(verb);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line: the first problem (one unknown option can make several), its lines joined.
            var message = string.Join(" ", parsed.Errors[0].Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            error.WriteLine($"prunenotebook: {message}");
            return UsageError;
        }
        try
        {
            AllocatorTuning.Apply();
            TorchNativeLibraries.EnsureLoaded();
            return parsed.Invoke(new InvocationConfiguration { Output = console.Profile.Out.Writer, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Report(e, error);
        }
    }

    /// <summary>Exit code of a run stopped by a bug (BSD's EX_SOFTWARE): one line saying so, then the details to report.</summary>
    public const int InternalError = 70;

    /// <summary>
    /// Writes a failure as the command line shows it and returns its exit code (<see cref="Failures"/> tells a bug from
    /// an expected failure): a wrong argument is a <see cref="UsageError"/>, a file or backend that failed a
    /// <see cref="Failure"/>, anything else a bug.
    /// </summary>
    /// <param name="e">The failure.</param>
    /// <param name="error">The error stream.</param>
    /// <param name="running">
    /// Whether the work had started (a recipe's steps, after the whole recipe was checked): then any expected failure,
    /// a wrong value found by a step included, is a <see cref="Failure"/>, and an interruption says the steps before it ran.
    /// </param>
    internal static int Report(Exception e, TextWriter error, bool running = false)
    {
        if (!Failures.IsExpected(e))
        {
            error.WriteLine($"prunenotebook: {Failures.BugReport("The command", e)}");
            return InternalError;
        }
        error.WriteLine($"prunenotebook: {(running && e is OperationCanceledException ? "interrupted; the steps before it ran." : Failures.OneLine(e))}");
        return !running && e is ArgumentException or FormatException ? UsageError : Failure;
    }
}
