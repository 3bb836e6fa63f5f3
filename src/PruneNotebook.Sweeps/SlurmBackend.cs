using System.Diagnostics;
using System.Globalization;
using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Sweeps;

/// <summary>
/// Runs trials as one Slurm job array per attempt: the generated batch script (kept in <c>slurm/</c> of the sweep
/// directory) gives each array task its trials, which it runs with <c>prunenotebook trial</c> on whatever node Slurm
/// picks, writing results into the (shared) sweep directory. Progress comes from <c>squeue</c> and the result files. A
/// task that ends without writing a result (<c>scancel</c>, a time limit, out of memory, a lost node) fails its trials
/// with the tail of their logs and of the task's Slurm output; interrupting the run cancels the job.
/// </summary>
public sealed class SlurmBackend : ISweepBackend
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private WorkerProgram? _program;

    /// <summary>A backend submitting with <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public SlurmBackend(SlurmOptions? options = null, WorkerProgram? program = null)
    {
        Options = options ?? new SlurmOptions();
        Options.Validate();
        _program = program;
    }

    /// <summary>The resources asked for.</summary>
    public SlurmOptions Options { get; }

    private TimeSpan QueryTimeout => TimeSpan.FromSeconds(Options.QueryTimeoutSeconds);

    /// <inheritdoc />
    public string Describe() =>
        $"slurm ({Options.CpusPerTask} CPU{(Options.CpusPerTask == 1 ? "" : "s")} per task"
        + (Options.Partition is { } p ? $", partition {p}" : "")
        + (Options.MaxConcurrent is { } m ? $", at most {m} at once" : "") + ")";

    /// <inheritdoc />
    public void Check(SweepDirectory sweep)
    {
        foreach (var command in new[] { "sbatch", "squeue", "scancel", "sinfo" })
            if (SlurmCommands.Find(command) is null)
                throw SlurmCommands.NotOnPath(command);
        var (code, _, error) = SlurmCommands.Run("sinfo", ["-h", "-o", "%P"], QueryTimeout);
        if (code != 0)
            throw new SweepBackendException($"The Slurm cluster does not answer (sinfo: {SlurmCommands.FirstLine(error)}): check that slurmctld runs and SLURM_CONF points at its configuration, or use --backend local.");
        _program ??= WorkerProgram.Locate();
    }

    /// <inheritdoc />
    public void Run(SweepDirectory sweep, IReadOnlyList<int> trials, int attempt, Action<int, TrialState> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(report);
        if (trials.Count == 0)
            return;
        var program = _program ??= WorkerProgram.Locate();
        var groups = trials.Chunk(Options.TrialsPerTask).Select(g => (IReadOnlyList<int>)g).ToList();
        var before = trials.ToDictionary(i => i, i => Stamp(sweep, i));
        var script = WriteScript(sweep, SlurmScript.Create(sweep, groups, attempt, Options, program));
        var job = Submit(sweep, script, attempt);
        using var cancel = cancellationToken.Register(() => SlurmCommands.Run("scancel", [job], QueryTimeout));
        var states = trials.ToDictionary(i => i, _ => TrialState.Queued);
        var lastAnswer = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (code, output, error) = SlurmCommands.Run("squeue", ["-h", "-r", "-j", job, "-o", "%i %T"], QueryTimeout);
            var gone = code != 0 && error.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase);
            if (code != 0 && !gone)
            {
                if (lastAnswer.Elapsed > QueryTimeout)
                    throw new SweepBackendException($"The Slurm cluster stopped answering (squeue: {SlurmCommands.FirstLine(error)}); job {job} may still run: check it with squeue, then resume the sweep.");
                Thread.Sleep(TimeSpan.FromSeconds(Options.PollSeconds));
                continue;
            }
            lastAnswer.Restart();
            var tasks = gone ? [] : ParseTasks(output, job);
            for (var t = 0; t < groups.Count; t++)
            {
                foreach (var index in groups[t])
                {
                    if (states[index] is TrialState.Done or TrialState.Failed)
                        continue;
                    TrialState state;
                    if (Stamp(sweep, index) != before[index])
                        state = sweep.StateOf(index);
                    else if (tasks.TryGetValue(t, out var slurmState))
                        state = slurmState is "RUNNING" or "COMPLETING" ? TrialState.Running : TrialState.Queued;
                    else
                        state = TrialState.Queued;
                    if (state != states[index])
                    {
                        states[index] = state;
                        report(index, state);
                    }
                }
            }
            if (tasks.Count == 0)
                break;
            Thread.Sleep(TimeSpan.FromSeconds(Options.PollSeconds));
        }
        cancellationToken.ThrowIfCancellationRequested();
        for (var t = 0; t < groups.Count; t++)
        {
            foreach (var index in groups[t].Where(i => Stamp(sweep, i) == before[i]))
            {
                var output = Path.Combine(sweep.Path, "slurm", $"slurm-{job}_{t.ToString(C)}.out");
                var tail = string.Join('\n', new[] { sweep.LogTail(index), SweepDirectory.Tail(output, 10) }.Where(s => s is not null));
                sweep.WriteResult(TrialResult.Failure(index, attempt,
                    $"Slurm task {job}_{t.ToString(C)} ended without a result for this trial (cancelled, time limit, out of memory or a failed node); its output: {output}",
                    tail.Length == 0 ? null : tail, host: "slurm"));
            }
            foreach (var index in groups[t])
                if (states[index] is not (TrialState.Done or TrialState.Failed))
                    report(index, sweep.StateOf(index));
        }
    }

    /// <summary>
    /// The trials of the sweep's Slurm jobs that are still queued or running, as <c>squeue</c> reports them (for
    /// <c>sweep status</c>); empty when the sweep has no live job or the cluster cannot be asked.
    /// </summary>
    public static IReadOnlyDictionary<int, TrialState> LiveTrials(SweepDirectory sweep, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var live = new Dictionary<int, TrialState>();
        var jobs = Path.Combine(sweep.Path, "slurm", "jobs.txt");
        if (!File.Exists(jobs) || SlurmCommands.Find("squeue") is null)
            return live;
        foreach (var line in File.ReadAllLines(jobs))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || !File.Exists(parts[2]))
                continue;
            var (code, output, _) = SlurmCommands.Run("squeue", ["-h", "-r", "-j", parts[0], "-o", "%i %T"], timeout);
            if (code != 0)
                continue;
            var groups = ReadGroups(parts[2]);
            foreach (var (task, state) in ParseTasks(output, parts[0]))
                if (task < groups.Count)
                    foreach (var index in groups[task])
                        live[index] = state is "RUNNING" or "COMPLETING" ? TrialState.Running : TrialState.Queued;
        }
        return live;
    }

    /// <summary>Array task states from <c>squeue -h -r -o "%i %T"</c> lines such as <c>12_3 RUNNING</c> or <c>12_[4-7%2] PENDING</c>.</summary>
    internal static Dictionary<int, string> ParseTasks(string squeue, string job)
    {
        var tasks = new Dictionary<int, string>();
        foreach (var line in squeue.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !parts[0].StartsWith(job + "_", StringComparison.Ordinal))
                continue;
            var id = parts[0][(job.Length + 1)..];
            foreach (var task in ExpandRange(id))
                tasks[task] = parts[1];
        }
        return tasks;
    }

    private static IEnumerable<int> ExpandRange(string id)
    {
        if (int.TryParse(id, NumberStyles.Integer, C, out var single))
            return [single];
        var body = id.Trim('[', ']').Split('%')[0];
        return body.Split(',', StringSplitOptions.RemoveEmptyEntries).SelectMany(part =>
        {
            var bounds = part.Split('-');
            return bounds.Length == 2 && int.TryParse(bounds[0], NumberStyles.Integer, C, out var low) && int.TryParse(bounds[1], NumberStyles.Integer, C, out var high)
                ? Enumerable.Range(low, high - low + 1)
                : int.TryParse(part, NumberStyles.Integer, C, out var one) ? [one] : [];
        });
    }

    /// <summary>The trial groups of a script written by <see cref="SlurmScript"/>.</summary>
    private static List<int[]> ReadGroups(string script) =>
        File.ReadAllLines(script).SkipWhile(l => l != "groups=(").Skip(1).TakeWhile(l => l != ")")
            .Select(l => l.Trim().Trim('"').Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(i => int.Parse(i, C)).ToArray())
            .ToList();

    private static (int, DateTimeOffset)? Stamp(SweepDirectory sweep, int index) =>
        sweep.ReadResult(index) is { } result ? (result.Attempt, result.Finished) : null;

    private static string WriteScript(SweepDirectory sweep, string text)
    {
        var folder = sweep.Folder("slurm");
        for (var n = 1; ; n++)
        {
            var path = Path.Combine(folder, $"submit-{n.ToString(C)}.sbatch");
            if (File.Exists(path))
                continue;
            sweep.WriteText(Path.Combine("slurm", Path.GetFileName(path)), text);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            return path;
        }
    }

    private string Submit(SweepDirectory sweep, string script, int attempt)
    {
        var (code, output, error) = SlurmCommands.Run("sbatch", ["--parsable", script], QueryTimeout);
        var job = output.Trim().Split(';')[0];
        if (code != 0 || !long.TryParse(job, NumberStyles.Integer, C, out _))
            throw new SweepBackendException($"sbatch refused the job array ({SlurmCommands.FirstLine(error.Length > 0 ? error : output)}); the script is {script}: check the partition, time limit and options.");
        File.AppendAllText(Path.Combine(sweep.Path, "slurm", "jobs.txt"), $"{job} {attempt.ToString(C)} {script}\n");
        return job;
    }
}
