using System.CommandLine;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Runtime;
using Spectre.Console;

namespace PruneNotebook.Cli;

/// <summary>
/// The <c>prunenotebook</c> command line: <c>summary</c>, <c>train</c> and <c>prune</c> on the built-in models and
/// Fashion-MNIST; <c>sweep</c> and its worker <c>trial</c> for experiments that run as separate processes. Every failure is one line on the error stream and exit code 1; the input files are never changed.
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
    /// <returns><see cref="Success"/>, <see cref="Failure"/> or <see cref="UsageError"/>.</returns>
    public static int Run(string[] args, IAnsiConsole console, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);
        var root = new RootCommand("Shrink and tune neural networks without a notebook: summaries, training, pruning, network surgery, sensitivity, feature and model selection, sweeps and tradeoff studies.")
        {
            SummaryVerb.Create(console),
            TrainVerb.Create(console),
            PruneVerb.Create(console),
            TrialVerb.Create(console),
            SweepVerb.Create(console),
            TradeoffVerb.Create(console),
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
            TorchNativeLibraries.EnsureLoaded();
            return parsed.Invoke(new InvocationConfiguration { Output = console.Profile.Out.Writer, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            error.WriteLine($"prunenotebook: {OneLine(e.Message)}");
            return UsageError;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or SweepBackendException)
        {
            error.WriteLine($"prunenotebook: {OneLine(e.Message)}");
            return Failure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error.WriteLine($"prunenotebook: failed: {e.GetType().Name}: {OneLine(e.Message)}");
            return Failure;
        }
    }

    private static string OneLine(string message) => message.Split('\n', 2)[0].Split(" (Parameter '", 2)[0].Trim();
}
