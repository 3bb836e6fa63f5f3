using System.Text.Json.Nodes;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Selection;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public sealed class TrialRunnerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-trial-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_cross_validation_trial_scores_exactly_the_folds_a_search_scores_in_process()
    {
        var sweep = SweepDirectory.Create(_folder, SweepSpecs.Grid(SweepSpecs.WineCv(0.05, seed: 3)));

        var result = TrialRunner.Run(sweep, 0);

        using var wine = TabularDatasets.Wine();
        var expected = CrossValidation.Score(
            EstimatorRecipes.Create("mlp", new Dictionary<string, object> { ["lr"] = 0.05, ["hidden"] = "8", ["epochs"] = 5, ["seed"] = 3 }), wine, new StratifiedKFold(5));
        Assert.Equal(TrialOutcome.Done, result.Status);
        Assert.Equal(expected.Scores, result.FoldScores!);
        Assert.Equal(expected.Mean, result["cv.mean"]);
        Assert.Equal(expected.Std, result["cv.std"]);
        Assert.Equal(result, sweep.ReadResult(0)! with { Metrics = result.Metrics, FoldScores = result.FoldScores });
    }

    [Fact]
    public void A_pruning_trial_records_the_shrinkbench_figures_of_the_same_steps_done_by_hand()
    {
        var sweep = SweepDirectory.Create(_folder, SweepSpecs.Grid(SweepSpecs.LeNetPrune(0.9, seed: 5)));

        var result = TrialRunner.Run(sweep, 0);

        Assert.True(result.Status == TrialOutcome.Done, result.Error);
        manual_seed(5);
        using var model = ModelZoo.Create("lenet5");
        using var data = FashionMnist.Load(limit: 200);
        new Trainer(new TrainerOptions(Epochs: 1, BatchSize: 64, Seed: 5)).Fit(model, data.Train);
        Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.9), new MagnitudeCriterion(1), PruningScope.Global);
        Assert.Equal(Trainer.Evaluate(model, data.Test).Accuracy, result["pruned.accuracy"]);
        Assert.Equal(61_706, result["dense.parameters"]);
        Assert.Equal(61_706, result["dense.nonzero_parameters"]);
        Assert.Equal(416_520, result["dense.macs"]);
        Assert.Equal(0.9, result["prune.sparsity"]);
        // 90 % of the 61,470 weights of conv1, conv2, fc1, fc2, fc3 are pruned (55,323); the 236 biases stay.
        Assert.Equal(61_706 - 55_323, result["pruned.nonzero_parameters"]);
        Assert.True(result["pruned.nonzero_macs"] < result["pruned.macs"]);

        var json = JsonNode.Parse(File.ReadAllText(sweep.ResultPath(0)))!;    // readable without PruneNotebook
        Assert.Equal("done", (string?)json["status"]);
        Assert.Equal(6383, (double?)json["metrics"]!["pruned.nonzero_parameters"]);
    }

    [Fact]
    public void A_failing_step_records_a_failed_result_with_the_error_and_the_log_tail_and_touches_no_other_result()
    {
        var sweep = SweepDirectory.Create(_folder, SweepSpecs.Grid(SweepSpecs.WineCv(0.05), SweepSpecs.Failing()));
        var done = TrialRunner.Run(sweep, 0);
        var before = File.ReadAllBytes(sweep.ResultPath(0));

        var result = TrialRunner.Run(sweep, 1, attempt: 2);

        Assert.Equal(TrialOutcome.Failed, result.Status);
        Assert.Equal(2, result.Attempt);
        Assert.StartsWith("FileNotFoundException: Model file not found", result.Error);
        Assert.Contains("step 1/2: load no-such-model.bin", result.LogTail);
        Assert.Contains("failed: System.IO.FileNotFoundException", result.LogTail);
        Assert.Equal(TrialState.Failed, sweep.StateOf(1));
        Assert.Equal(before, File.ReadAllBytes(sweep.ResultPath(0)));
        Assert.Equal(TrialOutcome.Done, done.Status);
    }

    [Fact]
    public void The_same_seed_gives_the_same_figures_and_a_cache_gives_the_same_as_loading_afresh()
    {
        var sweep = SweepDirectory.Create(_folder, SweepSpecs.Grid(SweepSpecs.LeNetPrune(0.5, "random", seed: 2), SweepSpecs.LeNetPrune(0.5, "random", seed: 2)));
        using var cache = new TrialDataCache();

        var first = TrialRunner.Run(sweep, 0, cache: cache);
        var second = TrialRunner.Run(sweep, 1, cache: cache);
        var fresh = TrialRunner.Run(sweep, 1);

        Assert.Equal(first.Metrics.Where(m => !m.Key.EndsWith(".seconds")), second.Metrics.Where(m => !m.Key.EndsWith(".seconds")));
        Assert.Equal(second.Metrics.Where(m => !m.Key.EndsWith(".seconds")), fresh.Metrics.Where(m => !m.Key.EndsWith(".seconds")));
    }
}
