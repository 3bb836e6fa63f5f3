using System.Diagnostics;
using System.Runtime.InteropServices;
using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Sweeps;

/// <summary>
/// How to start the <c>prunenotebook</c> command line, whose <c>trial</c> verb is the worker: the program and the
/// arguments before the verb (e.g. <c>dotnet exec /abs/path/prunenotebook.dll</c>). Found at run time, never written into
/// the repository: <see cref="Variable"/> if set (the notebook extension sets it to the copy it ships in its <c>cli/</c>
/// folder), else <c>prunenotebook.dll</c> beside the running program (the CLI itself, tests).
/// </summary>
/// <param name="FileName">The program to start.</param>
/// <param name="Prefix">Arguments before the verb.</param>
public sealed record WorkerProgram(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>Environment variable that names the command line to run trials with: a <c>prunenotebook.dll</c> or an executable.</summary>
    public const string Variable = "PRUNENOTEBOOK_CLI";

    private const string DllName = "prunenotebook.dll";

    /// <summary>Finds the command line as described above.</summary>
    /// <exception cref="SweepBackendException">It cannot be found (the message says how to point at it).</exception>
    public static WorkerProgram Locate()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            var full = Path.GetFullPath(configured);
            if (!File.Exists(full))
                throw new SweepBackendException($"{Variable} names '{full}', which does not exist: point it at the prunenotebook.dll of a build (dotnet build src/PruneNotebook.Cli).");
            return full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ForDll(full) : new WorkerProgram(full, []);
        }
        var beside = Path.Combine(AppContext.BaseDirectory, DllName);
        if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")))
            return ForDll(Path.GetFullPath(beside));
        throw new SweepBackendException(
            $"Cannot find the prunenotebook command line that runs trials as worker processes: build it (dotnet build src/PruneNotebook.Cli -c Release) and set {Variable} to its {DllName}.");
    }

    /// <summary>A process start for <c>prunenotebook &lt;arguments&gt;</c>, with libtorch limited to <paramref name="threads"/> threads when given.</summary>
    public ProcessStartInfo StartInfo(IEnumerable<string> arguments, int? threads = null)
    {
        var start = new ProcessStartInfo(FileName) { UseShellExecute = false };
        foreach (var argument in Prefix.Concat(arguments))
            start.ArgumentList.Add(argument);
        if (threads is { } t)
        {
            start.Environment["OMP_NUM_THREADS"] = t.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["MKL_NUM_THREADS"] = t.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return start;
    }

    /// <summary>The command line for a shell script, every word single-quoted.</summary>
    public string ShellCommand(IEnumerable<string> arguments) => string.Join(' ', new[] { FileName }.Concat(Prefix).Concat(arguments).Select(ShellQuote));

    /// <summary>Quotes <paramref name="word"/> for a POSIX shell.</summary>
    public static string ShellQuote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static WorkerProgram ForDll(string dll)
    {
        List<string> prefix = ["exec"];
        // The notebook extension ships the command line without TorchSharp and libtorch: they come from the NuGet
        // packages folder the notebook restored them to.
        if (!File.Exists(Path.Combine(Path.GetDirectoryName(dll)!, "TorchSharp.dll")))
            prefix.AddRange(["--additionalprobingpath", NuGetPackages()]);
        prefix.Add(dll);
        return new WorkerProgram(DotnetHost(), prefix);
    }

    private static string NuGetPackages() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The <c>dotnet</c> host running this process (or the one beside this runtime), absolute, so a Slurm task finds the same one.</summary>
    private static string DotnetHost()
    {
        var exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && Path.GetFileName(self) == exe)
            return self;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
            return host;
        // <root>/shared/Microsoft.NETCore.App/<version>/
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var beside = Path.Combine(root, exe);
        return File.Exists(beside) ? beside : exe;
    }
}
