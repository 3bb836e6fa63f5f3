using Microsoft.DotNet.Interactive.Commands;

namespace PruneNotebook.Interactive;

/// <summary>A magic command with the sweep options (see <see cref="SweepArguments"/>): where and how its trials run.</summary>
public abstract class SweepCommand : KernelDirectiveCommand
{
    /// <summary><c>local</c> or <c>slurm</c>.</summary>
    public string? Backend { get; set; }

    /// <summary>Trials at once.</summary>
    public string? Workers { get; set; }

    /// <summary>Extra attempts for a failing trial.</summary>
    public string? Retries { get; set; }

    /// <summary>The sweep directory.</summary>
    public string? SweepDir { get; set; }

    /// <summary>Slurm partition.</summary>
    public string? Partition { get; set; }

    /// <summary>Slurm time limit.</summary>
    public string? Time { get; set; }

    /// <summary>Slurm CPUs per task.</summary>
    public string? CpusPerTask { get; set; }

    /// <summary>Slurm memory.</summary>
    public string? Mem { get; set; }
}
