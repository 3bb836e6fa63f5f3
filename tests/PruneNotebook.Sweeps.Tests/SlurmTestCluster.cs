using System.Diagnostics;

namespace PruneNotebook.Sweeps.Tests;

/// <summary>
/// The single-node Slurm cluster of <c>eng/slurm-test-cluster.sh</c>, started for the Slurm tests and stopped after them
/// (left running if it was already running). Sets <c>SLURM_CONF</c> for this process, so sbatch, squeue and scancel
/// started by the backend talk to it.
/// </summary>
public sealed class SlurmTestCluster : IDisposable
{
    private readonly bool _started;

    public SlurmTestCluster()
    {
        var (status, _) = Script("status");
        _started = status != 0;
        var (code, output) = Script("start");
        if (code != 0)
            throw new InvalidOperationException($"eng/slurm-test-cluster.sh start failed: {output}");
        Conf = output.Split('\n').Last(l => l.StartsWith("SLURM_CONF=", StringComparison.Ordinal))["SLURM_CONF=".Length..].Trim();
        Environment.SetEnvironmentVariable("SLURM_CONF", Conf);
    }

    /// <summary>The cluster's slurm.conf.</summary>
    public string Conf { get; }

    /// <summary>Why Slurm tests cannot run here, or <c>null</c> when they can.</summary>
    public static string? Unavailable =>
        !OperatingSystem.IsLinux() ? "Slurm tests need Linux"
        : !File.Exists("/usr/sbin/slurmctld") || !File.Exists("/usr/bin/sbatch") || !File.Exists("/usr/sbin/munged")
            ? "Slurm is not installed: ./build.sh setup installs Debian's slurmctld slurmd slurm-client munge"
        : Environment.UserName != "root" ? "the test cluster runs its daemons as root"
        : null;

    public void Dispose()
    {
        if (_started)
            Script("stop");
    }

    private static (int Code, string Output) Script(string command)
    {
        var script = Path.Combine(RepositoryRoot(), "eng", "slurm-test-cluster.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "eng", "slurm-test-cluster.sh")))
                return folder.FullName;
        throw new InvalidOperationException("eng/slurm-test-cluster.sh not found above the test folder.");
    }
}

/// <summary>A test that needs the Slurm test cluster; skipped, saying why, where Slurm cannot run.</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute() => Skip = SlurmTestCluster.Unavailable;
}
