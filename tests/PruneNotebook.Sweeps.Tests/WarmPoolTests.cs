using System.Diagnostics;
using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Sweeps.Tests;

/// <summary>A local pool keeps its workers warm between runs, replaces the ones that died, and leaves none behind.</summary>
public sealed class WarmPoolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-warm-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_second_sweep_runs_in_the_same_worker_processes_and_writes_the_same_results()
    {
        var spec = Trials.Sweep(Trials.WineCv(0.01), Trials.WineCv(0.05, seed: 1), Trials.WineCv(0.1, seed: 2));
        using var pool = new LocalPool(2, 1);

        var first = Run(pool, "first", spec);
        var warm = pool.IdleWorkers.Order().ToList();
        var second = Run(pool, "second", spec);

        Assert.Equal(2, warm.Count);
        Assert.Equal(warm, Pids(first).Order().ToList());
        Assert.Subset(warm.ToHashSet(), Pids(second).ToHashSet());           // no new process for the second sweep
        Assert.Equal(warm, pool.IdleWorkers.Order().ToList());
        for (var i = 0; i < 3; i++)
            Assert.Equal(first.ReadResult(i)!.FoldScores, second.ReadResult(i)!.FoldScores);   // a warm worker computes what a fresh one does
    }

    [Fact]
    public void A_worker_that_died_between_sweeps_is_replaced_and_no_trial_fails_for_it()
    {
        var spec = Trials.Sweep(Trials.WineCv(0.01), Trials.WineCv(0.05, seed: 1), Trials.WineCv(0.1, seed: 2), Trials.WineCv(0.2, seed: 3));
        using var pool = new LocalPool(2, 1);
        Run(pool, "first", spec);
        var warm = pool.IdleWorkers;
        Assert.Equal(2, warm.Count);

        Process.GetProcessById(warm[0]).Kill();                              // not waited for: the pool may still see it alive
        var second = Run(pool, "second", spec, retries: 0);

        Assert.All(second.ReadResults(), r => Assert.Equal(TrialOutcome.Done, r!.Status));
        var used = Pids(second);
        Assert.DoesNotContain(warm[0], used);
        Assert.Contains(warm[1], used);
        Assert.Equal(2, used.Count);                                          // the survivor and one fresh worker
        Assert.False(Trials.IsAlive(warm[0]));
    }

    [Fact]
    public void Disposing_the_pool_or_leaving_it_idle_ends_every_worker()
    {
        var spec = Trials.Sweep(Trials.WineCv(0.01), Trials.WineCv(0.05, seed: 1));
        var pool = new LocalPool(2, 1);
        Run(pool, "disposed", spec);
        var warm = pool.IdleWorkers;
        Assert.Equal(2, warm.Count);
        Assert.All(warm, pid => Assert.True(Trials.IsAlive(pid)));

        pool.Dispose();

        Assert.All(warm, pid => Assert.False(Trials.IsAlive(pid)));
        Assert.Empty(pool.IdleWorkers);
        Assert.Throws<ObjectDisposedException>(() => SweepRunner.Run(SweepDirectory.Create(Path.Combine(_folder, "after"), spec), pool));

        using var idle = new LocalPool(2, 1, idleTimeout: TimeSpan.FromSeconds(3));
        Run(idle, "idle", spec);
        var waiting = idle.IdleWorkers;
        Assert.Equal(2, waiting.Count);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (waiting.Any(Trials.IsAlive) && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        Assert.All(waiting, pid => Assert.False(Trials.IsAlive(pid)));
        Assert.Empty(idle.IdleWorkers);
        Assert.Equal(2, Pids(Run(idle, "after idle", spec)).Except(waiting).Count());   // fresh workers after the timeout
    }

    [Fact]
    public void A_pool_disposed_while_it_runs_finishes_the_run_and_then_lets_its_worker_go()
    {
        var sweep = SweepDirectory.Create(Path.Combine(_folder, "running"), Trials.Sweep(Trials.Slow(epochs: 1)));
        var pool = new LocalPool(1, 1);
        SweepOutcome? outcome = null;
        var run = new Thread(() => outcome = SweepRunner.Run(sweep, pool, new SweepRunOptions(Retries: 0)));
        run.Start();
        var pid = Trials.WaitUntilTraining(sweep, 0, TimeSpan.FromMinutes(2));

        pool.Dispose();
        run.Join();

        Assert.True(outcome!.Succeeded, outcome.Failures.FirstOrDefault()?.Error);
        Assert.False(Trials.IsAlive(pid));
        Assert.Empty(pool.IdleWorkers);
    }

    [Fact]
    public void A_worker_exits_when_the_process_feeding_its_input_dies()
    {
        var program = WorkerProgram.Locate();
        // The worker's input is a pipe from a process that ends after a second, as a notebook kernel that was killed.
        var command = $"sleep 1 | {program.ShellCommand(["trial", "--serve", "--threads", "1"])} >/dev/null 2>&1 & echo $!";
        using var shell = Process.Start(new ProcessStartInfo("sh", ["-c", command]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var pid = int.Parse(shell.StandardOutput.ReadLine()!);
        shell.WaitForExit();
        Assert.True(Trials.IsAlive(pid));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Trials.IsAlive(pid) && DateTime.UtcNow < deadline)
            Thread.Sleep(50);

        Assert.False(Trials.IsAlive(pid));
    }

    [Fact]
    public void The_backend_named_local_is_one_shared_pool_per_size_until_disposed()
    {
        var first = Assert.IsType<LocalPool>(SweepBackends.Create("local", 3));
        Assert.Same(first, SweepBackends.Create("local", 3));
        Assert.NotSame(first, SweepBackends.Create("local", 1));
        first.Dispose();
        var next = Assert.IsType<LocalPool>(SweepBackends.Create("local", 3));
        Assert.NotSame(first, next);
        Assert.Same(next, LocalPool.Shared(3));
    }

    private SweepDirectory Run(LocalPool pool, string name, SweepSpec spec, int retries = 1)
    {
        var sweep = SweepDirectory.Create(Path.Combine(_folder, name), spec);
        var outcome = SweepRunner.Run(sweep, pool, new SweepRunOptions(Retries: retries));
        Assert.True(outcome.Succeeded, outcome.Failures.FirstOrDefault()?.Error);
        return sweep;
    }

    /// <summary>The processes that ran the sweep's trials, from their logs' headers.</summary>
    private static List<int> Pids(SweepDirectory sweep) =>
        Enumerable.Range(0, sweep.Spec.Trials.Count)
            .SelectMany(i => Trials.ReadShared(sweep.LogPath(i)).Split('\n').Where(l => l.StartsWith("== trial ", StringComparison.Ordinal)))
            .Select(l => int.Parse(l.Split(" pid ")[1].Split(' ')[0]))
            .Distinct()
            .ToList();
}
