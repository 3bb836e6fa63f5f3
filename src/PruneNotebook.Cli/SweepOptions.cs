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
        Description = "Trials running at once: local worker processes (default: one per core; each gets cores / workers threads).",
    };

    public Option<int> Retries { get; } = new("--retries")
    {
        Description = "Extra attempts for a trial that fails (crash, out of memory, cancelled).",
        DefaultValueFactory = _ => 1,
    };

    public IEnumerable<Option> All => [Backend, Workers, Retries];

    public ISweepBackend CreateBackend(ParseResult parsed) => SweepBackends.Create(parsed.GetValue(Backend)!, parsed.GetValue(Workers));

    public SweepRunOptions RunOptions(ParseResult parsed) => new(parsed.GetValue(Retries));
}
