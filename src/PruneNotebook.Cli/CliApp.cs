using System.CommandLine;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Runtime;
using Spectre.Console;

namespace PruneNotebook.Cli;

/// <summary>
/// The <c>prunenotebook</c> command line: <c>summary</c>, <c>train</c> and <c>prune</c> on the built-in models and
/// Fashion-MNIST; <c>sweep</c> and its worker <c>trial</c> for experiments that run as separate processes. Bad input is one line on the error stream and exit code 1; a bug says so in one line, followed by the details to
/// report, and exits with 70. The input files are never changed.
/// </summary>
public static class CliApp
{
    /// <summary>Runs the command line <paramref name="args"/>, writing results to <paramref name="console"/> and errors to <paramref name="error"/>.</summary>
    /// <returns>0 on success, 1 on bad input, 70 on a bug.</returns>
    public static int Run(string[] args, IAnsiConsole console, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);
        var root = new RootCommand("Shrink and tune neural networks: network summaries, training with schedules and penalties, pruning.")
        {
            SummaryVerb.Create(console),
            TrainVerb.Create(console),
            PruneVerb.Create(console),
            TrialVerb.Create(console),
            SweepVerb.Create(console),
            TradeoffVerb.Create(console),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line: the first problem (one unknown option can make several), its lines joined.
            var message = string.Join(" ", parsed.Errors[0].Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            error.WriteLine($"prunenotebook: {message}");
            return 1;
        }
        try
        {
            AllocatorTuning.Apply();
            TorchNativeLibraries.EnsureLoaded();
            return parsed.Invoke(new InvocationConfiguration { Output = new AnsiWriter(console), Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Report(e, error);
        }
    }

    /// <summary>Exit code of a run stopped by bad input (one line on the error stream).</summary>
    public const int UsageError = 1;

    /// <summary>Exit code of a run stopped by a bug (BSD's EX_SOFTWARE): one line saying so, then the details to report.</summary>
    public const int InternalError = 70;

    /// <summary>Writes a failure as the command line shows it and returns its exit code (<see cref="Failures"/> tells which).</summary>
    internal static int Report(Exception e, TextWriter error)
    {
        if (Failures.IsExpected(e))
        {
            error.WriteLine($"prunenotebook: {Failures.OneLine(e)}");
            return UsageError;
        }
        error.WriteLine($"prunenotebook: {Failures.BugReport("The command", e)}");
        return InternalError;
    }

    /// <summary>Lets System.CommandLine's help and version text go to the same console as the results.</summary>
    private sealed class AnsiWriter(IAnsiConsole console) : StringWriter
    {
        public override void Write(char value) => console.Write(new Text(value.ToString()));

        public override void Write(string? value) => console.Write(new Text(value ?? ""));

        public override void WriteLine(string? value) => console.WriteLine(value ?? "");
    }
}
