using System.CommandLine;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Sweeps;

namespace PruneNotebook.Cli;

/// <summary>The options of every verb that runs a sweep: where it runs and how failures are retried.</summary>
internal sealed class SweepOptions
{
    public Option<string> Backend { get; } = new("--backend")
    {
        Description = $"Where trials run: {string.Join(" or ", SweepBackends.Names)}.",
        DefaultValueFactory = _ => "local",
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

    public IEnumerable<Option> All => [Backend, Workers, Retries, Partition, Time, CpusPerTask, Memory, SbatchArguments, TrialsPerTask];

    public ISweepBackend CreateBackend(ParseResult parsed) => SweepBackends.Create(parsed.GetValue(Backend)!, parsed.GetValue(Workers),
        new SlurmOptions(parsed.GetValue(Partition), parsed.GetValue(Time), parsed.GetValue(CpusPerTask), parsed.GetValue(Memory),
            parsed.GetValue(SbatchArguments) ?? [], parsed.GetValue(TrialsPerTask)));

    public SweepRunOptions RunOptions(ParseResult parsed) => new(parsed.GetValue(Retries));
}
