using System.CommandLine;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Sweeps;

namespace PruneNotebook.Cli;

/// <summary>
/// The options of every verb that runs a sweep: where it runs and how failures are retried. Verbs that run in this process
/// unless told otherwise (<c>search</c>, <c>sensitivity</c>) take them with <paramref name="inProcessByDefault"/>: no
/// backend by default, and <c>--sweep-dir</c>.
/// </summary>
internal sealed class SweepOptions(bool inProcessByDefault = false)
{
    public Option<string?> Backend { get; } = new("--backend")
    {
        Description = inProcessByDefault
            ? $"Run the trials as a sweep of worker processes: {string.Join(" or ", SweepBackends.Names)} (default: in this process)."
            : $"Where trials run: {string.Join(" or ", SweepBackends.Names)}.",
        DefaultValueFactory = inProcessByDefault ? null : _ => "local",
    };

    public Option<DirectoryInfo?> SweepDir { get; } = new("--sweep-dir")
    {
        Description = "With --backend: the sweep directory (spec, results, logs); default one under the temporary folder named after the sweep, so a rerun resumes. On a cluster, a shared one.",
    };

    public Option<int?> Workers { get; } = new("--workers")
    {
        Description = "Trials running at once: local worker processes (default: one per core; each gets cores / workers threads), or Slurm array tasks (default: no limit).",
    };

    public Option<int> Retries { get; } = new("--retries")
    {
        Description = "Extra attempts for a trial that fails (crash, out of memory, cancelled).",
        DefaultValueFactory = _ => 1,
    };

    public Option<string?> Partition { get; } = new("--partition") { Description = "Slurm: the partition (default: the cluster's)." };

    public Option<string?> Time { get; } = new("--time") { Description = "Slurm: time limit per array task, e.g. 00:30:00." };

    public Option<int> CpusPerTask { get; } = new("--cpus-per-task") { Description = "Slurm: CPUs per array task (its libtorch threads).", DefaultValueFactory = _ => 1 };

    public Option<string?> Memory { get; } = new("--mem") { Description = "Slurm: memory per task's node, e.g. 4G." };

    public Option<string[]> SbatchArguments { get; } = new("--sbatch-arg")
    {
        Description = "Slurm: one more sbatch option, e.g. --sbatch-arg=--account=lab (repeat for more).",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<int> TrialsPerTask { get; } = new("--trials-per-task") { Description = "Slurm: trials each array task runs in turn.", DefaultValueFactory = _ => 1 };

    public IEnumerable<Option> All => inProcessByDefault
        ? [Backend, Workers, Retries, SweepDir, Partition, Time, CpusPerTask, Memory, SbatchArguments, TrialsPerTask]
        : [Backend, Workers, Retries, Partition, Time, CpusPerTask, Memory, SbatchArguments, TrialsPerTask];

    /// <summary>
    /// Where a search's or scan's trials run: <c>null</c> (in this process) without <c>--backend</c>, else a sweep on that
    /// backend. A sweep option without <c>--backend</c> is refused, as are an unknown backend and fewer than 1 worker.
    /// </summary>
    /// <exception cref="ArgumentException">The options do not fit together (one line saying what to do).</exception>
    public SweepExecution? Execution(ParseResult parsed)
    {
        if (parsed.GetValue(Backend) is null)
        {
            var stray = All.Skip(1).FirstOrDefault(o => parsed.GetResult(o) is { Implicit: false });
            if (stray is not null)
                throw new ArgumentException($"{stray.Name} applies to trials run as a sweep: add --backend {string.Join(" or --backend ", SweepBackends.Names)}, or drop {stray.Name}.");
            return null;
        }
        var backend = CreateBackend(parsed);
        var run = RunOptions(parsed);
        run.Validate();
        return new SweepExecution(backend, parsed.GetValue(SweepDir)?.FullName, run);
    }

    public ISweepBackend CreateBackend(ParseResult parsed) => SweepBackends.Create(parsed.GetValue(Backend) ?? "local", parsed.GetValue(Workers),
        new SlurmOptions(parsed.GetValue(Partition), parsed.GetValue(Time), parsed.GetValue(CpusPerTask), parsed.GetValue(Memory),
            parsed.GetValue(SbatchArguments) ?? [], parsed.GetValue(TrialsPerTask)));

    public SweepRunOptions RunOptions(ParseResult parsed) => new(parsed.GetValue(Retries));
}
