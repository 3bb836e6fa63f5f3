using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
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
        var history = ScheduledPruning.Run(model, train, test, schedule, options, scope: PruningScope.Global);

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
        var history = ScheduledPruning.Run(model, train, test, schedule, new TrainerOptions(BatchSize: 100), scope: PruningScope.Global);
        Assert.Equal([1, 2, 3], history.Stages.Select(s => s.Stage));
        for (var r = 0; r < 3; r++)
            Assert.Equal(schedule.TargetAt(r)!.Value, history.Stages[r].Sparsity, 4);
        Assert.All(history.Stages, s => Assert.NotNull(s.AccuracyBeforeFineTuning));
    }

    [Fact]
    public void Lottery_tickets_train_dense_then_prune_and_rewind_the_survivors_to_their_initial_values()
    {
        using var train = fixture.Data.Train.Subset(arange(1_000));
        using var test = fixture.Data.Test.Subset(arange(500));
        var options = new TrainerOptions(Epochs: 1, BatchSize: 100, LearningRate: 1e-3, Seed: 3);
        var schedule = new LotteryTicketSchedule(0.75, rounds: 2, trainEpochs: 1, rewindStep: 0);
        manual_seed(5);
        using var ticket = new LeNet300_100();
        var history = ScheduledPruning.Run(ticket, train, test, schedule, options, scope: PruningScope.Global);
        Assert.Equal([1, 2], history.Stages.Select(s => s.Stage));
        Assert.Equal(schedule.TargetAt(0)!.Value, history.Stages[0].Sparsity, 4);
        Assert.Equal(0.75, history.Final!.Sparsity, 4);
        Assert.Equal(30, history.Final.Step); // 10 steps of dense training, then 10 per round

        // The same by hand: train, prune by magnitude, put the survivors back to their initial values, train; twice.
        manual_seed(5);
        using var byHand = new LeNet300_100();
        var initial = byHand.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        new Trainer(options).Fit(byHand, train, test);
        var targets = Pruner.DefaultTargets(byHand);
        for (var round = 0; round < 2; round++)
        {
            Pruner.PruneTo(byHand, targets, schedule.TargetAt(round)!.Value, new MagnitudeCriterion(1), PruningScope.Global);
            using (no_grad())
                foreach (var (name, parameter) in byHand.named_parameters())
                    parameter.copy_(initial[name]);
            PruningMasks.Apply(byHand);
            new Trainer(options with { Seed = options.Seed + round }).Fit(byHand, train, test);
        }
        foreach (var (name, parameter) in ticket.named_parameters())
            Assert.True(parameter.allclose(byHand.named_parameters().Single(p => p.name == name).parameter, 1e-4, 1e-6), name);
        foreach (var target in targets)
            Assert.Equal(PyTorchReference.MaskOf(PruningMasks.Get(byHand, target)!), PyTorchReference.MaskOf(PruningMasks.Get(ticket, target)!));
        Assert.Contains("rewound to step 0", history.Schedule);
    }

    [Fact]
    public void A_schedule_defined_outside_the_library_runs_through_scheduled_pruning()
    {
        using var train = fixture.Data.Train.Subset(arange(3_000));
        using var test = fixture.Data.Test.Subset(arange(1_000));
        using var model = Trained(train);
        // 30 steps per epoch: 30 % before training, 60 % after step 45 (in the second epoch).
        var schedule = new StaircaseSchedule((0, 0.3), (45, 0.6));
        var history = ScheduledPruning.Run(model, train, test, schedule, new TrainerOptions(Epochs: 2, BatchSize: 100, LearningRate: 1e-3));

        Assert.Equal("staircase to 60 %", history.Schedule);
        Assert.Equal([0.3, 0.6], history.Stages.Select(s => Math.Round(s.Sparsity, 3)));
        Assert.NotNull(history.Stages[0].AccuracyBeforeFineTuning);
        // Local scope by default: every layer on its own holds 60 % zeros (rounded half to even per layer).
        var report = SparsityReport.Create(model);
        foreach (var target in Pruner.DefaultTargets(model))
            Assert.Equal(Math.Round(0.6 * report[target].Count, MidpointRounding.ToEven), report[target].Zeros);
    }

    [Fact]
    public void A_one_shot_schedule_prunes_at_its_step_not_before_training()
    {
        using var train = fixture.Data.Train.Subset(arange(2_000));
        using var test = fixture.Data.Test.Subset(arange(500));
        using var model = Trained(train);
        var history = ScheduledPruning.Run(model, train, test, new OneShotSchedule(0.5, step: 10), new TrainerOptions(Epochs: 1, BatchSize: 100));
        Assert.Null(Assert.Single(history.Stages).AccuracyBeforeFineTuning); // nothing was pruned before training
        Assert.Equal(0.5, history.Final!.Sparsity, 4);
    }

    [Fact]
    public void A_criterion_that_cannot_score_weights_is_refused_before_training()
    {
        using var train = fixture.Data.Train.Subset(arange(200));
        using var model = new LeNet300_100();
        var error = Assert.Throws<ArgumentException>(() =>
            ScheduledPruning.Run(model, train, train, new OneShotSchedule(0.5), new TrainerOptions(Epochs: 1), criterion: new BatchNormScaleCriterion()));
        Assert.StartsWith("The bn criterion scores whole units, not single weights", error.Message);
        Assert.False(PruningMasks.Any(model));
    }

    /// <summary>A schedule the library does not know: fixed sparsities at fixed optimizer steps.</summary>
    private sealed class StaircaseSchedule(params (long Step, double Sparsity)[] stairs) : IPruningSchedule
    {
        public string Name => $"staircase to {FinalSparsity * 100:0} %";

        public double FinalSparsity => stairs[^1].Sparsity;

        public double? TargetAt(long step) => stairs.Where(s => s.Step == step).Select(s => (double?)s.Sparsity).FirstOrDefault();
    }

    [Fact]
    public void Sensitivity_analysis_measures_each_layer_alone_and_restores_the_model_bit_for_bit()
    {
        using var train = fixture.Data.Train.Subset(arange(3_000));
        using var test = fixture.Data.Test.Subset(arange(1_000));
        using var model = Trained(train);
        Pruner.Unstructured(model, ["fc2.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1));
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
