namespace PruneNotebook.Sweeps;

/// <summary>How a <see cref="SlurmBackend"/> asks Slurm for resources; each setting becomes an <c>#SBATCH</c> line of the generated script.</summary>
/// <param name="Partition">The partition (<c>--partition</c>), or <c>null</c> for the cluster's default.</param>
/// <param name="Time">Time limit per array task (<c>--time</c>, e.g. <c>00:30:00</c>), or <c>null</c> for the partition's default.</param>
/// <param name="CpusPerTask">CPUs per array task (<c>--cpus-per-task</c>); the trial uses that many libtorch threads.</param>
/// <param name="Memory">Memory per node (<c>--mem</c>, e.g. <c>4G</c>), or <c>null</c> for the default.</param>
/// <param name="ExtraArguments">More <c>sbatch</c> options, each written as its own <c>#SBATCH</c> line (e.g. <c>--account=lab</c>, <c>--qos=short</c>).</param>
/// <param name="TrialsPerTask">Trials each array task runs one after another (amortizes start-up when trials are short).</param>
/// <param name="MaxConcurrent">Array tasks running at once (<c>--array=…%N</c>), or <c>null</c> for no limit.</param>
/// <param name="PollSeconds">How often <c>squeue</c> and the result files are checked.</param>
/// <param name="QueryTimeoutSeconds">How long a silent scheduler is waited for before the run stops.</param>
public sealed record SlurmOptions(
    string? Partition = null,
    string? Time = null,
    int CpusPerTask = 1,
    string? Memory = null,
    IReadOnlyList<string>? ExtraArguments = null,
    int TrialsPerTask = 1,
    int? MaxConcurrent = null,
    double PollSeconds = 1,
    double QueryTimeoutSeconds = 60)
{
    /// <summary>Throws on the first setting out of range.</summary>
    /// <exception cref="ArgumentException">The message names the setting and what is expected.</exception>
    public void Validate()
    {
        if (CpusPerTask < 1)
            throw new ArgumentException($"CPUs per task must be at least 1, got {CpusPerTask}.", nameof(CpusPerTask));
        if (TrialsPerTask < 1)
            throw new ArgumentException($"Trials per task must be at least 1, got {TrialsPerTask}.", nameof(TrialsPerTask));
        if (MaxConcurrent is < 1)
            throw new ArgumentException($"Workers must be at least 1, got {MaxConcurrent}: pass how many array tasks may run at once, e.g. 4.", nameof(MaxConcurrent));
        if (!(PollSeconds > 0) || !(QueryTimeoutSeconds > 0))
            throw new ArgumentException($"Poll interval and query timeout must be positive, got {PollSeconds} and {QueryTimeoutSeconds}.", nameof(PollSeconds));
        foreach (var (value, name) in new[] { (Partition, "partition"), (Time, "time limit"), (Memory, "memory") })
            if (value is not null && (value.Length == 0 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
                throw new ArgumentException($"The Slurm {name} '{value}' must be one word, e.g. {(name == "time limit" ? "00:30:00" : name == "memory" ? "4G" : "gpu")}.", nameof(Partition));
        foreach (var argument in ExtraArguments ?? [])
            if (!argument.StartsWith('-') || argument.Any(char.IsControl))
                throw new ArgumentException($"Extra sbatch option '{argument}' must be an option such as --account=lab, one per entry.", nameof(ExtraArguments));
    }
}
