using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Sweeps;

/// <summary>The backends by name, for command lines and magic commands: <c>local</c> (a pool of worker processes) and <c>slurm</c> (job arrays).</summary>
public static class SweepBackends
{
    /// <summary>The names <see cref="Create"/> understands.</summary>
    public static IReadOnlyList<string> Names { get; } = ["local", "slurm"];

    /// <summary>The backend <paramref name="name"/>.</summary>
    /// <param name="name"><c>local</c> or <c>slurm</c> (case-insensitive).</param>
    /// <param name="workers">Local: worker processes (default: one per core); the process's shared pool of that size (<see cref="LocalPool.Shared"/>), whose workers stay warm between sweeps. Slurm: array tasks running at once (default: no limit).</param>
    /// <param name="slurm">Slurm settings (partition, time limit, CPUs, memory, extra sbatch options).</param>
    /// <exception cref="ArgumentException">Unknown name, or fewer than 1 worker.</exception>
    public static ISweepBackend Create(string name, int? workers = null, SlurmOptions? slurm = null)
    {
        if (workers is < 1)
            throw new ArgumentException($"Workers must be at least 1, got {workers}: pass how many trials may run at once, e.g. 2.", nameof(workers));
        return name?.Trim().ToLowerInvariant() switch
        {
            "local" => LocalPool.Shared(workers ?? Environment.ProcessorCount),
            "slurm" => new SlurmBackend((slurm ?? new SlurmOptions()) with { MaxConcurrent = workers ?? slurm?.MaxConcurrent }),
            _ => throw new ArgumentException($"Unknown backend '{name}': expected {string.Join(" or ", Names)}.", nameof(name)),
        };
    }
}
