using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Pruning;

namespace PruneNotebook.Core.Tests;

public sealed class SweepRunnerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-runner-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Running_a_sweep_again_runs_only_the_trials_without_a_successful_result()
    {
        var sweep = SweepDirectory.Create(_folder, SweepSpecs.Grid(SweepSpecs.WineCv(0.01), SweepSpecs.WineCv(0.05), SweepSpecs.WineCv(0.1)));
        var backend = new RecordingBackend();
        var first = SweepRunner.Run(sweep, backend);
        Assert.True(first.Succeeded);
        Assert.Equal([0, 1, 2], backend.Ran);
        var kept = File.ReadAllBytes(sweep.ResultPath(2));

        File.Delete(sweep.ResultPath(1));
        backend.Ran.Clear();
        var second = SweepRunner.Run(sweep, backend);

        Assert.Equal([1], backend.Ran);
        Assert.Equal(first.Results[1]!.FoldScores, second.Results[1]!.FoldScores);
        Assert.Equal(kept, File.ReadAllBytes(sweep.ResultPath(2)));
    }

    [Fact]
    public void A_failing_trial_is_retried_up_to_the_retry_count_and_reported_in_one_line()
    {
        var sweep = SweepDirectory.Create(_folder, SweepSpecs.Grid(SweepSpecs.WineCv(0.01), SweepSpecs.Failing()));
        var backend = new RecordingBackend();
        var snapshots = new List<SweepProgress>();

        var outcome = SweepRunner.Run(sweep, backend, new SweepRunOptions(Retries: 2), new Recorder(snapshots));

        Assert.Equal([0, 1, 1, 1], backend.Ran);
        Assert.Equal(3, outcome.Results[1]!.Attempt);
        Assert.Equal(1, outcome.Done);
        Assert.False(outcome.Succeeded);
        Assert.True(snapshots[^1].Finished);
        Assert.Equal("1/2 done · 1 failed · 0 running · 0 queued", snapshots[^1].Summary);
        Assert.Contains(snapshots, s => s.Running == 1);
        var e = Assert.Throws<SweepBackendException>(outcome.EnsureSucceeded);
        Assert.StartsWith("1 of 2 trials of 'test sweep' have no result (trial 1 failed: FileNotFoundException: Model file not found", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_later_wave_builds_on_an_earlier_one_and_waits_for_it()
    {
        var dense = new TrialSpec("lenet5", new DataSpec(DataSpec.FashionMnistName, Limit: 200), [new TrainStep(Epochs: 1), new SaveStep("dense.bin"), new EvaluateStep("dense")]);
        TrialSpec Pruned(double amount) => new("lenet5", new DataSpec(DataSpec.FashionMnistName, Limit: 200),
            [new LoadStep("dense.bin"), new EvaluateStep("dense"), new PruneStep("l1", PruningAmount.Of(amount)), new EvaluateStep("pruned")], Wave: 1);
        var sweep = SweepDirectory.Create(_folder, SweepSpecs.Grid(Pruned(0.5), dense, Pruned(0.9)));
        var backend = new RecordingBackend();

        var outcome = SweepRunner.Run(sweep, backend);

        Assert.True(outcome.Succeeded, outcome.Failures.FirstOrDefault()?.Error);
        Assert.Equal([1, 0, 2], backend.Ran);
        Assert.Equal(outcome.Results[1]!["dense.accuracy"], outcome.Results[0]!["dense.accuracy"]);   // the same dense checkpoint
        Assert.Equal(outcome.Results[1]!["dense.accuracy"], outcome.Results[2]!["dense.accuracy"]);
    }

    [Fact]
    public void A_wave_with_failures_stops_the_run_before_the_waves_that_build_on_it()
    {
        var sweep = SweepDirectory.Create(_folder, SweepSpecs.Grid(SweepSpecs.Failing(), SweepSpecs.WineCv(0.01) with { Wave = 1 }));
        var backend = new RecordingBackend();

        var outcome = SweepRunner.Run(sweep, backend, new SweepRunOptions(Retries: 0));

        Assert.Equal([0], backend.Ran);
        Assert.Null(outcome.Results[1]);
        Assert.Contains("1 did not run", Assert.Throws<SweepBackendException>(outcome.EnsureSucceeded).Message);
    }

    [Fact]
    public void A_trial_the_backend_lost_is_recorded_as_failed_with_its_log_tail()
    {
        var sweep = SweepDirectory.Create(_folder, SweepSpecs.Grid(SweepSpecs.WineCv(0.01)));
        File.WriteAllText(sweep.LogPath(0), "started\nthen the node went away\n");

        var outcome = SweepRunner.Run(sweep, new LosingBackend(), new SweepRunOptions(Retries: 0));

        var failure = Assert.Single(outcome.Failures);
        Assert.Equal("losing ended without a result for this trial.", failure.Error);
        Assert.Equal("started\nthen the node went away", failure.LogTail);
    }

    [Theory]
    [InlineData(-1, null, "Retries must be 0 or more, got -1.")]
    [InlineData(0, 7, "Sweep 'test sweep' has trials 0 to 0, not 7.")]
    public void Bad_run_options_are_refused_before_anything_runs(int retries, int? trial, string expected)
    {
        var sweep = SweepDirectory.Create(_folder, SweepSpecs.Grid(SweepSpecs.WineCv(0.01)));
        var backend = new RecordingBackend();
        var e = Assert.Throws<ArgumentException>(() => SweepRunner.Run(sweep, backend, new SweepRunOptions(retries, trial is null ? null : [trial.Value])));
        Assert.StartsWith(expected, e.Message);
        Assert.Empty(backend.Ran);
    }

    /// <summary>Runs trials in process and remembers which, in order.</summary>
    private sealed class RecordingBackend : ISweepBackend
    {
        private readonly InProcessBackend _inner = new();

        public List<int> Ran { get; } = [];

        public string Describe() => "recording";

        public void Check(SweepDirectory sweep)
        {
        }

        public void Run(SweepDirectory sweep, IReadOnlyList<int> trials, int attempt, Action<int, TrialState> report, CancellationToken cancellationToken)
        {
            Ran.AddRange(trials);
            _inner.Run(sweep, trials, attempt, report, cancellationToken);
        }
    }

    /// <summary>A backend whose workers vanish without a word, as a killed node's do.</summary>
    private sealed class LosingBackend : ISweepBackend
    {
        public string Describe() => "losing";

        public void Check(SweepDirectory sweep)
        {
        }

        public void Run(SweepDirectory sweep, IReadOnlyList<int> trials, int attempt, Action<int, TrialState> report, CancellationToken cancellationToken)
        {
        }
    }

    private sealed class Recorder(List<SweepProgress> snapshots) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value)
        {
            lock (snapshots)
                snapshots.Add(value);
        }
    }
}
