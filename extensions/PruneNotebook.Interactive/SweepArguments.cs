using Microsoft.DotNet.Interactive.Directives;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Sweeps;

namespace PruneNotebook.Interactive;

/// <summary>The options of magics that run trials as worker processes: backend, workers, retries, sweep directory and Slurm resources.</summary>
internal static class SweepArguments
{
    /// <summary>The parameters, for a directive's parameter list.</summary>
    public static IEnumerable<KernelDirectiveParameter> Parameters(string backendDefault) =>
    [
        new KernelDirectiveParameter("--backend", $"Where trials run: local (worker processes on this machine) or slurm (a job array); default {backendDefault}.")
            .AddCompletions(() => SweepBackends.Names),
        new KernelDirectiveParameter("--workers", "Trials at once: local worker processes (default one per core, each with cores / workers threads) or Slurm array tasks."),
        new KernelDirectiveParameter("--retries", "Extra attempts for a trial that fails (default 1)."),
        new KernelDirectiveParameter("--sweep-dir", "The sweep directory (spec, results, logs); default one under the temporary folder named after the sweep, so re-running resumes. On a cluster, a shared directory."),
        new KernelDirectiveParameter("--partition", "Slurm partition."),
        new KernelDirectiveParameter("--time", "Slurm time limit per task, e.g. 00:30:00."),
        new KernelDirectiveParameter("--cpus-per-task", "Slurm CPUs per task (default 1)."),
        new KernelDirectiveParameter("--mem", "Slurm memory per task's node, e.g. 4G."),
    ];

    /// <summary>The backend the options name.</summary>
    /// <exception cref="UsageException">Unknown backend, or a count that is not a whole number.</exception>
    public static ISweepBackend Backend(SweepCommand command, string backendDefault)
    {
        var name = MagicArguments.Choice("--backend", command.Backend, backendDefault, [.. SweepBackends.Names]);
        int? workers = string.IsNullOrWhiteSpace(command.Workers) ? null : MagicArguments.Integer("--workers", command.Workers, 1);
        try
        {
            return SweepBackends.Create(name, workers, new SlurmOptions(
                Blank(command.Partition), Blank(command.Time), MagicArguments.Integer("--cpus-per-task", command.CpusPerTask, 1), Blank(command.Mem)));
        }
        catch (ArgumentException e)
        {
            throw new UsageException(MagicHandler.OneLine(e.Message));
        }
    }

    /// <summary>Retries.</summary>
    public static SweepRunOptions RunOptions(SweepCommand command)
    {
        var retries = MagicArguments.Integer("--retries", command.Retries, 1);
        return retries >= 0 ? new SweepRunOptions(retries) : throw new UsageException($"--retries must be 0 or more, got {retries}.");
    }

    /// <summary>The sweep directory, absolute, or <c>null</c> for the default.</summary>
    public static string? Directory(SweepCommand command) => string.IsNullOrWhiteSpace(command.SweepDir) ? null : Path.GetFullPath(command.SweepDir.Trim());

    /// <summary>
    /// Runs <paramref name="run"/> with live progress (<see cref="LiveSweep"/>); a backend that cannot run, a sweep
    /// directory of another sweep and an interrupt each become one line.
    /// </summary>
    public static T Live<T>(Microsoft.DotNet.Interactive.KernelInvocationContext context, SweepCommand command, Func<IProgress<SweepProgress>, CancellationToken, T> run)
    {
        try
        {
            return LiveSweep.Run(context, run);
        }
        catch (Exception e) when (e is SweepBackendException or InvalidDataException or IOException)
        {
            throw new UsageException(MagicHandler.OneLine(e.Message));
        }
        catch (OperationCanceledException)
        {
            throw new UsageException($"Interrupted: finished trials keep their results; run the cell again to resume ({Directory(command) ?? "the default sweep directory"}).");
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
