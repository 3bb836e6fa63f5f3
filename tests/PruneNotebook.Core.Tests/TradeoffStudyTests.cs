using System.Text.Json.Nodes;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public sealed class TradeoffStudyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-tradeoff-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static TradeoffOptions Small(params double[] targets) => new("lenet5", new DataSpec(DataSpec.FashionMnistName, Limit: 300), targets,
        Seeds: [0, 1], FineTune: new TrainStep(Epochs: 1, BatchSize: 64), DenseTraining: new TrainStep(Epochs: 1, BatchSize: 64));

    [Fact]
    public void A_plan_prunes_every_criterion_target_and_seed_from_one_dense_checkpoint_with_one_fine_tuning_budget()
    {
        var spec = TradeoffStudy.Plan(Small(0.9, 0.5) with { Criteria = ["l2"] });

        Assert.Equal(1 + 3 * 2 * 2, spec.Trials.Count);
        var dense = spec.Trials[0];
        Assert.Equal(0, dense.Wave);
        Assert.Equal(["train", "save", "evaluate", "measure"], dense.Steps.Select(Kind));
        var pruned = spec.Trials.Skip(1).ToList();
        Assert.All(pruned, t => Assert.Equal(1, t.Wave));
        Assert.All(pruned, t => Assert.Equal(new LoadStep(TradeoffStudy.DenseFile), t.Steps[0]));
        Assert.Single(pruned.Select(t => t.Steps.OfType<TrainStep>().Single()).Distinct());     // the same fine-tuning everywhere
        Assert.Equal(["l1", "random", "l2"], pruned.Select(t => t.Tags!["criterion"]).Distinct());   // baselines first
        Assert.Equal(["0.5", "0.9"], pruned.Select(t => t.Tags!["target"]).Distinct());
        Assert.All(pruned, t => Assert.Equal("local", t.Steps.OfType<PruneStep>().Single().Scope));
        Assert.Equal(["0", "1"], pruned.Select(t => t.Tags!["seed"]).Distinct());
        Assert.Equal(pruned.Select(t => long.Parse(t.Tags!["seed"])), pruned.Select(t => t.Seed));
    }

    [Fact]
    public void A_study_reports_shrinkbench_figures_per_trial_and_their_mean_and_sample_std_over_seeds()
    {
        var result = TradeoffStudy.Run(Small(0.5, 0.9), _folder);

        Assert.Empty(result.Failures);
        Assert.Equal(8, result.Trials.Count);
        Assert.Equal(61_706, result.DenseParameters);
        Assert.Equal(416_520, result.DenseMacs);
        Assert.Equal(["l1", "random"], result.Criteria);
        Assert.Equal([(0.5, "l1"), (0.9, "l1"), (0.5, "random"), (0.9, "random")], result.Points.Select(p => (p.Target, p.Criterion)));
        foreach (var trial in result.Trials.Where(t => t.Target == 0.9))
        {
            Assert.Equal(6383, trial.NonzeroParameters);                           // 90 % of each layer's weights, biases kept
            Assert.Equal(61_706.0 / 6383, trial.Compression, 12);
            Assert.Equal(416_520.0 / trial.NonzeroMacs, trial.TheoreticalSpeedup, 12);
            Assert.Null(trial.MeasuredSpeedup);                                    // masks make nothing faster
        }
        foreach (var point in result.Points)
        {
            var seeds = result.Trials.Where(t => t.Criterion == point.Criterion && t.Target == point.Target).ToList();
            Assert.Equal(2, point.Seeds);
            var (a, b) = (seeds[0].Accuracy, seeds[1].Accuracy);
            Assert.Equal((a + b) / 2, point.Accuracy, 12);
            Assert.Equal(Math.Abs(a - b) / Math.Sqrt(2), point.AccuracyStd, 12);     // sample std of two values
            Assert.Equal((seeds[0].AccuracyBeforeFineTuning + seeds[1].AccuracyBeforeFineTuning) / 2, point.AccuracyBeforeFineTuning, 12);
        }
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, TradeoffStudy.ResultFile)))!;
        Assert.Equal(4, json["points"]!.AsArray().Count);
        Assert.Equal(result.DenseAccuracy, (double)json["denseAccuracy"]!);
    }

    [Fact]
    public void A_study_of_a_trained_model_in_memory_starts_from_its_weights_and_leaves_it_unchanged()
    {
        manual_seed(0);
        using var model = new LeNet5();
        using var data = FashionMnist.Load(limit: 300);
        new Trainer(new TrainerOptions(Epochs: 1, BatchSize: 64)).Fit(model, data.Train);
        var before = model.parameters().Select(p => p.detach().clone()).ToList();
        var options = Small(0.9) with { Seeds = [0], IncludeBaselines = false, Criteria = ["l1"] };

        var result = TradeoffStudy.Run(model, options, _folder);

        Assert.Equal(Trainer.Evaluate(model, data.Test).Accuracy, result.DenseAccuracy);
        Assert.StartsWith("tradeoff lenet5 weights local (dense ", result.Name);
        Assert.True(File.Exists(Path.Combine(_folder, TradeoffStudy.DenseFile)));
        Assert.All(model.parameters().Zip(before), p => Assert.True(p.First.eq(p.Second).all().item<bool>()));
        Assert.Single(result.Trials);

        new Trainer(new TrainerOptions(Epochs: 1, BatchSize: 64, Seed: 1)).Fit(model, data.Train);
        var e = Assert.Throws<InvalidDataException>(() => TradeoffStudy.Run(model, options, _folder));   // another model: another study
        Assert.Contains("holds another sweep", e.Message);
    }

    [Fact]
    public void Surgery_studies_report_measured_speedup_beside_the_theoretical_one()
    {
        var options = Small(0.5) with { Mode = TradeoffMode.Channels, Seeds = [0], IncludeBaselines = false, Criteria = ["l2"] };

        var result = TradeoffStudy.Run(options, _folder);

        var trial = Assert.Single(result.Trials);
        Assert.Equal("channels", result.Mode);
        Assert.True(trial.Parameters < 61_706);
        Assert.True(trial.Compression > 1.5);
        Assert.True(trial.TheoreticalSpeedup > 1.5);
        Assert.NotNull(trial.MeasuredSpeedup);
        Assert.NotNull(trial.LatencyMilliseconds);
    }

    [Theory]
    [InlineData("Targets must be fractions in (0, 1)", 1.5, "l1", false)]
    [InlineData("--criterion bn scores whole units, not single weights", 0.5, "bn", false)]
    [InlineData("Unknown --criterion 'obd'", 0.5, "obd", true)]
    public void Bad_study_options_are_refused_in_one_line(string expected, double target, string criterion, bool channels)
    {
        var options = Small(target) with { Criteria = [criterion], Mode = channels ? TradeoffMode.Channels : TradeoffMode.Weights };
        var e = Assert.Throws<ArgumentException>(() => TradeoffStudy.Plan(options));
        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_model_worker_processes_cannot_rebuild_is_refused_before_anything_runs()
    {
        using var custom = nn.Sequential(("fc", nn.Linear(784, 10)));
        var e = Assert.Throws<ArgumentException>(() => TradeoffStudy.Run(custom, Small(0.5), _folder));
        Assert.StartsWith("Worker processes rebuild models by name, and Sequential is not a built-in architecture", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    private static string Kind(TrialStep step) => step.GetType().Name.Replace("Step", "").ToLowerInvariant();
}
