using System.Diagnostics;
using System.Globalization;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Tests.Shared;

namespace PruneNotebook.Sweeps.Tests;

public sealed class SlurmBackendTests(SlurmTestCluster cluster) : IClassFixture<SlurmTestCluster>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-slurm-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [SlurmFact]
    public void The_test_clusters_daemons_listen_on_loopback_only()
    {
        // Tests send network traffic to loopback only: slurmctld and slurmd bind to 127.0.0.1, not every interface.
        var folder = Path.GetDirectoryName(cluster.Conf)!;
        var sockets = new[] { "slurmctld.pid", "slurmd.pid" }
            .SelectMany(file => ListeningSockets.OfProcessTree(int.Parse(File.ReadAllText(Path.Combine(folder, file)).Trim(), CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Contains(sockets, s => s.Port == 16817);
        Assert.Contains(sockets, s => s.Port == 16818);
        Assert.All(sockets, s => Assert.True(s.IsLoopback, $"{s} listens beyond this machine"));
    }

    [SlurmFact]
    public void A_job_array_with_a_cancelled_task_resumes_to_the_results_of_the_local_pool()
    {
        var spec = Trials.Sweep(Trials.Slow(), Trials.WineCv(0.01), Trials.WineCv(0.05, seed: 1), Trials.WineCv(0.1, seed: 2));
        var sweep = SweepDirectory.Create(Path.Combine(_folder, "slurm"), spec);
        var slurm = new SlurmBackend(new SlurmOptions(CpusPerTask: 1, PollSeconds: 0.25));
        SweepOutcome? first = null;
        var run = new Thread(() => first = SweepRunner.Run(sweep, slurm, new SweepRunOptions(Retries: 0)));
        run.Start();

        Trials.WaitUntilTraining(sweep, 0, TimeSpan.FromMinutes(2));
        var job = File.ReadAllText(Path.Combine(sweep.Path, "slurm", "jobs.txt")).Split(' ')[0];
        Assert.Equal(0, Slurm("scancel", $"{job}_0"));
        run.Join();

        var failure = Assert.Single(first!.Failures);
        Assert.Equal(0, failure.Index);
        Assert.StartsWith($"Slurm task {job}_0 ended without a result for this trial (cancelled, time limit, out of memory or a failed node)", failure.Error);
        Assert.Contains("step 1/2: train", failure.LogTail);
        Assert.Equal(3, first.Done);
        var script = File.ReadAllText(Path.Combine(sweep.Path, "slurm", "submit-1.sbatch"));
        Assert.Contains("#SBATCH --array=0-3", script);
        Assert.Contains("#SBATCH --cpus-per-task=1", script);

        var resumed = SweepRunner.Run(SweepDirectory.Open(sweep.Path), slurm);
        Assert.True(resumed.Succeeded, resumed.Failures.FirstOrDefault()?.Error);
        Assert.Contains("#SBATCH --array=0-0", File.ReadAllText(Path.Combine(sweep.Path, "slurm", "submit-2.sbatch")));  // only the cancelled trial

        using var pool = new LocalPool(2, 1);
        var local = SweepRunner.Run(SweepDirectory.Create(Path.Combine(_folder, "local"), spec), pool);
        Assert.True(local.Succeeded, local.Failures.FirstOrDefault()?.Error);
        for (var i = 0; i < spec.Trials.Count; i++)
        {
            var (a, b) = (resumed.Results[i]!, local.Results[i]!);
            Assert.Equal(1, a.Threads);
            Assert.Equal(b.FoldScores, a.FoldScores);
            Assert.Equal(Figures(b), Figures(a));
        }
        Assert.InRange(resumed.Results[0]!["trained.accuracy"], 0.5, 1.0);
    }

    [SlurmFact]
    public void Status_of_a_running_sweep_shows_its_trials_queued_or_running_in_slurm()
    {
        var sweep = SweepDirectory.Create(_folder, Trials.Sweep(Trials.Slow(epochs: 20)));
        using var cancel = new CancellationTokenSource();
        var run = new Thread(() =>
        {
            try
            {
                SweepRunner.Run(sweep, new SlurmBackend(new SlurmOptions(PollSeconds: 0.25)), cancellationToken: cancel.Token);
            }
            catch (OperationCanceledException)
            {
            }
        });
        run.Start();
        Trials.WaitUntilTraining(sweep, 0, TimeSpan.FromMinutes(2));

        Assert.Equal(TrialState.Running, SlurmBackend.LiveTrials(sweep, TimeSpan.FromSeconds(20))[0]);

        cancel.Cancel();    // scancels the job
        run.Join();
        var deadline = Stopwatch.StartNew();
        while (SlurmBackend.LiveTrials(sweep, TimeSpan.FromSeconds(20)).Count > 0 && deadline.Elapsed < TimeSpan.FromSeconds(30))
            Thread.Sleep(200);
        Assert.Empty(SlurmBackend.LiveTrials(sweep, TimeSpan.FromSeconds(20)));
        Assert.Null(sweep.ReadResult(0));
    }

    [SlurmFact]
    public void A_cluster_that_does_not_answer_is_reported_in_one_line_before_anything_is_submitted()
    {
        var dead = Path.Combine(_folder, "dead.conf");
        File.WriteAllLines(dead, File.ReadAllLines(cluster.Conf).Select(l => l.StartsWith("SlurmctldPort=", StringComparison.Ordinal) ? "SlurmctldPort=16899" : l));
        var sweep = SweepDirectory.Create(Path.Combine(_folder, "sweep"), Trials.Sweep(Trials.WineCv(0.01)));
        Environment.SetEnvironmentVariable("SLURM_CONF", dead);
        try
        {
            var e = Assert.Throws<SweepBackendException>(() => SweepRunner.Run(sweep, new SlurmBackend()));
            Assert.StartsWith("The Slurm cluster does not answer (sinfo: slurm_load_partitions: Unable to contact slurm controller", e.Message);
            Assert.EndsWith("check that slurmctld runs and SLURM_CONF points at its configuration, or use --backend local.", e.Message);
            Assert.False(Directory.Exists(Path.Combine(sweep.Path, "slurm")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SLURM_CONF", cluster.Conf);
        }
    }

    private static IEnumerable<KeyValuePair<string, double>> Figures(TrialResult result) =>
        result.Metrics.Where(m => !m.Key.EndsWith(".seconds", StringComparison.Ordinal)).OrderBy(m => m.Key);

    private static int Slurm(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
