using System.ComponentModel;
using System.Diagnostics;
using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Sweeps;

/// <summary>Runs Slurm's client commands (<c>sbatch</c>, <c>squeue</c>, <c>scancel</c>, <c>sinfo</c>) with a time limit, and finds them on PATH.</summary>
internal static class SlurmCommands
{
    /// <summary>The absolute path of <paramref name="command"/> on PATH, or <c>null</c>.</summary>
    public static string? Find(string command)
    {
        if (Path.IsPathRooted(command))
            return File.Exists(command) ? command : null;
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, command);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>Runs <paramref name="command"/> and returns its exit code, output and error, or throws when it cannot start or does not end within <paramref name="timeout"/>.</summary>
    /// <exception cref="SweepBackendException">Not on PATH, or no answer in time.</exception>
    public static (int Code, string Output, string Error) Run(string command, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var path = Find(command) ?? throw NotOnPath(command);
        var start = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new SweepBackendException($"Could not run {command}: {e.Message}.", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new SweepBackendException($"The Slurm cluster does not answer: {command} gave no reply within {timeout.TotalSeconds:F0} s; check that slurmctld runs (and SLURM_CONF), or use --backend local.");
            }
            process.WaitForExit();
            return (process.ExitCode, output.Result, error.Result);
        }
    }

    public static SweepBackendException NotOnPath(string command) =>
        new($"{command} is not on PATH: run this on a machine of your Slurm cluster (a login node, perhaps after 'module load slurm'), or use --backend local.");

    /// <summary>The first line of a command's error output, for one-line messages.</summary>
    public static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
}
