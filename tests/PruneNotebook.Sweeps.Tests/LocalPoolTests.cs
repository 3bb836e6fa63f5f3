using System.Diagnostics;
using PruneNotebook.Core.Experiments;
using static TorchSharp.torch;

namespace PruneNotebook.Sweeps.Tests;

public sealed class LocalPoolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-pool-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_pool_of_two_workers_writes_the_results_a_single_thread_computes_in_process()
    {
        var spec = Trials.Sweep(Trials.WineCv(0.01), Trials.WineCv(0.05, seed: 1), Trials.WineCv(0.1, seed: 2), Trials.WineCv(0.2, seed: 3));
        var pooled = SweepDirectory.Create(Path.Combine(_folder, "pool"), spec);
        using var pool = new LocalPool(workers: 2, threadsPerWorker: 1);

        var outcome = SweepRunner.Run(pooled, pool);

        Assert.True(outcome.Succeeded, outcome.Failures.FirstOrDefault()?.Error);
        Assert.Equal("local pool (2 workers × 1 thread)", outcome.Backend);
        Assert.All(outcome.Results, r => Assert.Equal(1, r!.Threads));
        var pids = Enumerable.Range(0, 4).Select(i => File.ReadAllText(pooled.LogPath(i)).Split(" pid ")[1].Split(' ')[0]).Distinct().ToList();
        Assert.Equal(2, pids.Count);                                  // two worker processes, each running several trials
        Assert.DoesNotContain(Environment.ProcessId.ToString(), pids);

        var local = SweepDirectory.Create(Path.Combine(_folder, "in-process"), spec);
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            SweepRunner.Run(local, new InProcessBackend());
        }
        finally
        {
            set_num_threads(threads);
        }
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(local.ReadResult(i)!.FoldScores, outcome.Results[i]!.FoldScores);
            Assert.Equal(local.ReadResult(i)!["cv.mean"], outcome.Results[i]!["cv.mean"]);
        }
    }

    [Fact]
    public void A_grid_search_on_a_pool_scores_as_the_same_search_in_process_with_one_thread()
    {
        using var wine = PruneNotebook.Core.Data.TabularDatasets.Wine();
        var grid = PruneNotebook.Core.Selection.ParameterGrid.Parse("lr=0.01,0.1;hidden=4,8;epochs=3");
        PruneNotebook.Core.Selection.GridSearch Search(SweepExecution? sweep) =>
            new(PruneNotebook.Core.Selection.EstimatorRecipes.Factory("mlp"), grid, new PruneNotebook.Core.Selection.StratifiedKFold(3), refit: false, sweep: sweep);

        using var pool = new LocalPool(2, 1);
        using var pooled = Search(new SweepExecution(pool, _folder)).Fit(wine);
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            using var here = Search(null).Fit(wine);
            Assert.Equal(here.Result.Trials.Select(t => t.Scores), pooled.Result.Trials.Select(t => t.Scores));
            Assert.Equal(here.Result.BestIndex, pooled.Result.BestIndex);
        }
        finally
        {
            set_num_threads(threads);
        }
        Assert.EndsWith("· local pool (2 workers × 1 thread)", pooled.Result.Method);
    }

    [Fact]
    public void A_worker_killed_mid_trial_fails_only_that_trial_and_resuming_runs_only_it()
    {
        var sweep = SweepDirectory.Create(_folder, Trials.Sweep(Trials.Slow(), Trials.WineCv(0.01), Trials.WineCv(0.05, seed: 1)));
        using var pool = new LocalPool(workers: 2, threadsPerWorker: 1);
        SweepOutcome? outcome = null;
        var run = new Thread(() => outcome = SweepRunner.Run(sweep, pool, new SweepRunOptions(Retries: 0)));
        run.Start();

        var pid = Trials.WaitUntilTraining(sweep, 0, TimeSpan.FromMinutes(2));
        Process.GetProcessById(pid).Kill();
        run.Join();

        var failure = Assert.Single(outcome!.Failures);
        Assert.Equal(0, failure.Index);
        Assert.Equal("The worker process exited with code 137 while running this trial (a crash, out of memory, or killed).", failure.Error);
        Assert.Contains("step 1/2: train", failure.LogTail);
        Assert.Equal(2, outcome.Done);
        var kept = new[] { File.ReadAllBytes(sweep.ResultPath(1)), File.ReadAllBytes(sweep.ResultPath(2)) };

        var resumed = SweepRunner.Run(SweepDirectory.Open(sweep.Path), pool);

        Assert.True(resumed.Succeeded, resumed.Failures.FirstOrDefault()?.Error);
        Assert.Equal(kept[0], File.ReadAllBytes(sweep.ResultPath(1)));
        Assert.Equal(kept[1], File.ReadAllBytes(sweep.ResultPath(2)));
        Assert.InRange(resumed.Results[0]!["trained.accuracy"], 0.5, 1.0);
    }

    [Fact]
    public void A_failing_trial_is_retried_in_a_worker_and_the_others_finish()
    {
        var missing = new TrialSpec("lenet5", new DataSpec(DataSpec.FashionMnistName, Limit: 50), [new LoadStep("missing.bin"), new EvaluateStep()]);
        var sweep = SweepDirectory.Create(_folder, Trials.Sweep(missing, Trials.WineCv(0.01)));

        using var pool = new LocalPool(2, 1);
        var outcome = SweepRunner.Run(sweep, pool, new SweepRunOptions(Retries: 1));

        var failure = Assert.Single(outcome.Failures);
        Assert.Equal(2, failure.Attempt);
        Assert.StartsWith("FileNotFoundException: Model file not found", failure.Error);
        Assert.Equal(2, Trials.ReadShared(sweep.LogPath(0)).Split("== trial 0").Length - 1);   // both attempts logged
        Assert.Equal(TrialOutcome.Done, outcome.Results[1]!.Status);
    }

    [Fact]
    public void Cancelling_stops_the_workers_and_leaves_the_running_trial_without_a_result()
    {
        var sweep = SweepDirectory.Create(_folder, Trials.Sweep(Trials.Slow(epochs: 20)));
        using var cancel = new CancellationTokenSource();
        using var pool = new LocalPool(1, 1);
        Exception? thrown = null;
        var run = new Thread(() =>
        {
            try
            {
                SweepRunner.Run(sweep, pool, cancellationToken: cancel.Token);
            }
            catch (Exception e)
            {
                thrown = e;
            }
        });
        run.Start();

        var pid = Trials.WaitUntilTraining(sweep, 0, TimeSpan.FromMinutes(2));
        cancel.Cancel();
        run.Join();

        Assert.IsType<OperationCanceledException>(thrown);
        Assert.Null(sweep.ReadResult(0));
        Assert.False(Trials.IsAlive(pid));
    }

    [Fact]
    public void Bad_backend_settings_are_refused_in_one_line()
    {
        Assert.Equal("A local pool needs at least 1 worker, got 0: pass a worker count such as 2 (one per core).",
            Assert.Throws<ArgumentException>(() => new LocalPool(0)).Message.Replace(Environment.ProcessorCount.ToString(), "2").Split(" (Parameter")[0]);
        Assert.StartsWith("Workers must be at least 1, got -1", Assert.Throws<ArgumentException>(() => SweepBackends.Create("local", -1)).Message);
        Assert.StartsWith("Unknown backend 'kubernetes': expected local", Assert.Throws<ArgumentException>(() => SweepBackends.Create("kubernetes")).Message);
        Assert.StartsWith("The idle timeout must not be negative", Assert.Throws<ArgumentException>(() => new LocalPool(1, idleTimeout: TimeSpan.FromSeconds(-1))).Message);
    }

    [Fact]
    public void A_worker_program_that_does_not_exist_is_named_before_any_trial_runs()
    {
        var sweep = SweepDirectory.Create(_folder, Trials.Sweep(Trials.WineCv(0.01)));
        var missing = Path.Combine(_folder, "nowhere", "prunenotebook.dll");
        Environment.SetEnvironmentVariable(WorkerProgram.Variable, missing);
        try
        {
            using var pool = new LocalPool(1);
            var e = Assert.Throws<SweepBackendException>(() => SweepRunner.Run(sweep, pool));
            Assert.Equal($"{WorkerProgram.Variable} names '{missing}', which does not exist: point it at the prunenotebook.dll of a build (dotnet build src/PruneNotebook.Cli).", e.Message);
            Assert.Null(sweep.ReadResult(0));
        }
        finally
        {
            Environment.SetEnvironmentVariable(WorkerProgram.Variable, null);
        }
    }
}
