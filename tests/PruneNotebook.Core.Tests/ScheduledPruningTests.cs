using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class ScheduledPruningTests(FashionMnistFixture fixture) : IClassFixture<FashionMnistFixture>
{
    private LeNet300_100 Trained(TensorDataset train)
    {
        manual_seed(0);
        var model = new LeNet300_100();
        new Trainer(new TrainerOptions(Epochs: 1, BatchSize: 128)).Fit(model, train);
        return model;
    }

    [Fact]
    public void Gradual_pruning_reaches_the_final_sparsity_at_its_last_step_and_keeps_it()
    {
        using var train = fixture.Data.Train.Subset(arange(3_000));
        using var test = fixture.Data.Test.Subset(arange(1_000));
        using var model = Trained(train);
        var options = new TrainerOptions(Epochs: 3, BatchSize: 100, LearningRate: 1e-3);
        // 30 steps per epoch: prune at 0, 10, ..., 40 to reach 80 % by step 40.
        var schedule = new GradualSchedule(0.2, 0.8, startStep: 0, frequency: 10, prunings: 4);
        var history = ScheduledPruning.Gradual(model, train, test, schedule, options);

        Assert.Equal(3, history.Stages.Count);
        var targets = Pruner.DefaultTargets(model);
        var report = SparsityReport.Create(model);
        Assert.Equal(0.8, (double)targets.Sum(t => report[t].Zeros) / targets.Sum(t => report[t].Count), 4);
        Assert.Equal(0.8, history.Final!.Sparsity, 4);
        Assert.True(history.Stages[0].Sparsity < 0.8 && history.Stages[0].Sparsity > 0.2);
        Assert.True(history.Final.TestAccuracy > 0.6, $"accuracy {history.Final.TestAccuracy}");
    }

    [Fact]
    public void Iterative_pruning_rounds_step_up_to_the_final_sparsity()
    {
        using var train = fixture.Data.Train.Subset(arange(2_000));
        using var test = fixture.Data.Test.Subset(arange(1_000));
        using var model = Trained(train);
        var schedule = new IterativeSchedule(0.9, rounds: 3);
        var history = ScheduledPruning.Iterative(model, train, test, schedule, new TrainerOptions(BatchSize: 100));
        Assert.Equal([1, 2, 3], history.Stages.Select(s => s.Stage));
        for (var r = 0; r < 3; r++)
            Assert.Equal(schedule.TargetAt(r)!.Value, history.Stages[r].Sparsity, 4);
        Assert.All(history.Stages, s => Assert.NotNull(s.AccuracyBeforeFineTuning));
    }

    [Fact]
    public void Sensitivity_analysis_measures_each_layer_alone_and_restores_the_model_bit_for_bit()
    {
        using var train = fixture.Data.Train.Subset(arange(3_000));
        using var test = fixture.Data.Test.Subset(arange(1_000));
        using var model = Trained(train);
        Pruner.Unstructured(model, ["fc2.weight"], PruningAmount.Of(0.5), new LnNormImportance(1));
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().flatten().data<float>().ToArray());

        var report = Sensitivity.Analyze(model, test, [0.0, 0.5, 1.0]);

        Assert.Equal(["fc1.weight", "fc2.weight", "fc3.weight"], report.Curves.Select(c => c.Parameter));
        foreach (var curve in report.Curves)
        {
            Assert.Equal(report.BaselineAccuracy, curve.Accuracies[0], 10);
            Assert.True(curve.Accuracies[2] < 0.3, $"{curve.Parameter} at 100 % sparsity keeps {curve.Accuracies[2]:P1}");
        }
        var after = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().flatten().data<float>().ToArray());
        foreach (var (name, values) in before)
            Assert.Equal(values, after[name]);
        Assert.NotNull(PruningMasks.Get(model, "fc2.weight"));
        Assert.Contains(report.Curves, c => report.MaxSparsityWithin(0.01)[c.Parameter] >= 0.5);
    }
}
