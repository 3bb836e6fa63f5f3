using System.Diagnostics;
using System.Globalization;

namespace PruneNotebook.Bench;

/// <summary>
/// `startup`: wall time from starting a process to its first byte of output, and to its exit, for the network summary of
/// LeNet-5 from (1) the command line as the dotnet tool runs it (<c>dotnet prunenotebook.dll summary --model lenet5</c>) and
/// (2) a C# file-based script doing the same (<c>dotnet run bench/summary.cs</c>, built once before timing). Median of the
/// repeats, alternating; the target for (1) is 1.5 s to first output.
/// </summary>
public static class StartupBenchmark
{
    private const double TargetSeconds = 1.5;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        var repeats = GlobalPruningBenchmark.Option(args, "--repeats", 5);
        var cli = Path.Combine(AppContext.BaseDirectory, "prunenotebook.dll");
        var script = Path.Combine(RepositoryRoot.Find(), "bench", "summary.cs");
        string[] cliCommand = ["exec", cli, "summary", "--model", "lenet5"];
        string[] scriptCommand = ["run", script];
        // Warm-up: the script's first run compiles it; both get the runtime's files into the page cache.
        foreach (var command in new[] { cliCommand, scriptCommand })
        {
            var (_, _, code, output) = Time(command);
            if (code != 0 || !output.Contains("61,706", StringComparison.Ordinal))
                throw new IOException($"dotnet {string.Join(' ', command)} failed (exit code {code}): {output.Trim()}");
        }
        var cliRuns = new List<(double First, double Exit)>();
        var scriptRuns = new List<(double First, double Exit)>();
        for (var r = 0; r < repeats; r++)
        {
            var (first, exit, _, _) = Time(cliCommand);
            cliRuns.Add((first, exit));
            (first, exit, _, _) = Time(scriptCommand);
            scriptRuns.Add((first, exit));
        }
        Console.WriteLine($"start-up to first output, LeNet-5 summary, median of {repeats} (alternating)");
        Console.WriteLine($"{"",-44}{"first output",14}{"exit",10}");
        Console.WriteLine(new string('-', 68));
        Print("prunenotebook summary (dotnet tool / exec)", cliRuns);
        Print("dotnet run bench/summary.cs (built)", scriptRuns);
        var cliFirst = Median(cliRuns.Select(r => r.First));
        Console.WriteLine();
        Console.WriteLine($"command line vs script     {(Median(scriptRuns.Select(r => r.First)) / cliFirst).ToString("F2", C)}x faster to first output");
        Console.WriteLine($"target: first output within {TargetSeconds.ToString("F1", C)} s: {(cliFirst <= TargetSeconds ? "met" : "NOT met")} ({cliFirst.ToString("F2", C)} s)");
        return 0;
    }

    private static void Print(string label, List<(double First, double Exit)> runs) =>
        Console.WriteLine($"{label,-44}{(Median(runs.Select(r => r.First)).ToString("F2", C) + " s"),14}{(Median(runs.Select(r => r.Exit)).ToString("F2", C) + " s"),10}");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Seconds to the first byte on standard output and to the exit, the exit code and the output.</summary>
    private static (double First, double Exit, int Code, string Output) Time(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new IOException("could not start dotnet");
        var error = process.StandardError.ReadToEndAsync();
        var firstChar = process.StandardOutput.Read();
        var first = watch.Elapsed.TotalSeconds;
        var rest = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var exit = watch.Elapsed.TotalSeconds;
        _ = error.Result;
        return (first, exit, process.ExitCode, (firstChar < 0 ? "" : ((char)firstChar).ToString()) + rest);
    }
}
