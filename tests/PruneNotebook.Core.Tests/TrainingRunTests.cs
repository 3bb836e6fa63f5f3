using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Optimization.Regularization;
using PruneNotebook.Core.Optimization.Schedules;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>The trainer's run-level behaviour on a small synthetic problem: resume, early stopping, schedules, penalties, callbacks.</summary>
public sealed class TrainingRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-run-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>20 features, 3 classes given by a fixed linear rule, or random labels.</summary>
    internal static TensorDataset Synthetic(int n, long seed, bool randomLabels = false)
    {
        using var generator = new Generator((ulong)seed);
        var x = randn([n, 20], generator: generator);
        using var rule = randn([20, 3], generator: new Generator(99));
        var y = randomLabels ? randint(3, [n], generator: generator) : x.matmul(rule).argmax(1);
        return new TensorDataset(x, y);
    }

    /// <summary>An MLP with dropout, so resuming must restore the random generator too.</summary>
    internal static nn.Module<Tensor, Tensor> Mlp(long seed)
    {
        manual_seed(seed);
        return nn.Sequential(("fc1", nn.Linear(20, 32)), ("relu", nn.ReLU()), ("drop", nn.Dropout(0.2)), ("fc2", nn.Linear(32, 3)));
    }

    private static Dictionary<string, Tensor> Weights(nn.Module model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    [Fact]
    public void Resuming_from_a_checkpoint_gives_exactly_the_run_trained_straight_through()
    {
        using var train = Synthetic(600, 1);
        using var validation = Synthetic(200, 2);
        var path = Path.Combine(_folder, "run.ckpt");
        TrainerOptions Options(int epochs, string? checkpoint) => new(Epochs: epochs, BatchSize: 32, LearningRate: 0.01, Optimizer: "adam", Seed: 5,
            Schedule: new HalvingSchedule(), Regularizer: new SumOfSquares(1e-3), EarlyStopping: new EarlyStopping(Patience: 10), CheckpointPath: checkpoint);

        using var straight = Mlp(7);
        var straightHistory = new Trainer(Options(4, null)).Fit(straight, train, validation);

        using var first = Mlp(7);
        new Trainer(Options(2, path)).Fit(first, train, validation);
        Assert.Equal(2, CheckpointFile.Inspect(path).EpochsCompleted);
        using var resumed = Mlp(123);   // other initial weights: everything must come from the checkpoint
        var resumedHistory = new Trainer(Options(4, path)).Fit(resumed, train, validation, resumeFrom: path);

        var expected = Weights(straight);
        foreach (var (name, value) in Weights(resumed))
            Assert.True(value.equal(expected[name]).all().item<bool>(), $"{name} differs after resuming");
        Assert.Equal(straightHistory.Epochs.Select(e => (e.TrainLoss, e.TestLoss, e.LearningRate, e.Penalty)),
            resumedHistory.Epochs.Select(e => (e.TrainLoss, e.TestLoss, e.LearningRate, e.Penalty)));
        Assert.Equal(straightHistory.LearningRates, resumedHistory.LearningRates);
        Assert.Equal(4, CheckpointFile.Inspect(path).EpochsCompleted);
    }

    [Fact]
    public void Early_stopping_stops_when_validation_loss_stops_falling_and_restores_the_best_epoch()
    {
        using var train = Synthetic(64, 1, randomLabels: true);
        using var validation = Synthetic(200, 2, randomLabels: true);   // unlearnable: validation loss rises as the model memorizes
        using var model = Mlp(3);
        var history = new Trainer(new TrainerOptions(Epochs: 60, BatchSize: 16, LearningRate: 0.01, EarlyStopping: new EarlyStopping(Patience: 2)))
            .Fit(model, train, validation);

        Assert.True(history.StoppedEarly);
        Assert.True(history.Epochs.Count < 60);
        var losses = history.Epochs.Select(e => e.TestLoss!.Value).ToList();
        var best = losses.IndexOf(losses.Min()) + 1;
        Assert.Equal(best, history.BestEpoch);
        Assert.Equal(best + 3, history.Epochs.Count);   // patience 2: stops at the third epoch without improvement
        Assert.Equal(losses[best - 1], Trainer.Evaluate(model, validation).Loss, 6);
    }

    [Fact]
    public void Full_batch_gradient_descent_takes_one_step_on_the_gradient_of_the_whole_set_whatever_the_batch_size()
    {
        using var train = Synthetic(100, 1);
        manual_seed(4);
        using var model = nn.Linear(20, 3);
        using var expected = nn.Linear(20, 3);
        expected.load_state_dict(model.state_dict());
        const double lr = 0.5, l2 = 0.01;

        var history = new Trainer(new TrainerOptions(Epochs: 1, BatchSize: 30, LearningRate: lr, Optimizer: "gd", Regularizer: new SumOfSquares(l2)))
            .Fit(model, train);

        var loss = nn.functional.cross_entropy(expected.call(train.Features), train.Labels)
                   + (expected.weight!.square().sum() * (l2 / 2));
        loss.backward();
        using (no_grad())
        {
            expected.weight!.sub_(expected.weight.grad! * lr);
            expected.bias!.sub_(expected.bias.grad! * lr);
        }
        Assert.Equal([lr], history.LearningRates);
        Assert.True(model.weight!.allclose(expected.weight!, rtol: 0, atol: 1e-6), "weights differ from one full-batch step");
        Assert.True(model.bias!.allclose(expected.bias!, rtol: 0, atol: 1e-6), "biases differ from one full-batch step");
    }

    [Fact]
    public void Holds_out_the_validation_fraction_of_the_training_set()
    {
        using var train = Synthetic(400, 1);
        using var model = Mlp(1);
        var batches = new Recorder();
        var history = new Trainer(new TrainerOptions(Epochs: 1, BatchSize: 50, ValidationFraction: 0.25)).Fit(model, train, callbacks: [batches]);
        Assert.Equal([1, 2, 3, 4, 5, 6], batches.Batches);                      // 300 examples left to train on
        var accuracy = history.Epochs[0].TestAccuracy!.Value;
        var trainAccuracy = history.Epochs[0].TrainAccuracy!.Value;
        Assert.Equal(Math.Round(accuracy * 100), accuracy * 100, 9);             // 100 held-out examples
        Assert.Equal(Math.Round(trainAccuracy * 300), trainAccuracy * 300, 9);   // 300 trained on
    }

    [Fact]
    public void The_schedule_sets_the_rate_the_optimizer_uses_and_every_step_is_recorded()
    {
        using var train = Synthetic(100, 1);
        using var model = Mlp(1);
        var before = Weights(model);
        var history = new Trainer(new TrainerOptions(Epochs: 2, BatchSize: 25, Optimizer: "sgd", LearningRate: 0.5, Schedule: new ZeroSchedule()))
            .Fit(model, train);
        Assert.Equal(Enumerable.Repeat(0.0, 8), history.LearningRates);
        foreach (var (name, value) in Weights(model))
            Assert.True(value.equal(before[name]).all().item<bool>(), $"{name} moved although the rate was 0");
    }

    [Fact]
    public void Reduce_on_plateau_halves_the_rate_after_each_epoch_the_validation_loss_does_not_improve()
    {
        using var train = Synthetic(64, 1, randomLabels: true);
        using var validation = Synthetic(200, 2, randomLabels: true);
        using var model = Mlp(3);
        var history = new Trainer(new TrainerOptions(Epochs: 8, BatchSize: 16, Optimizer: "sgd", LearningRate: 0.2,
            Schedule: new ReducePlateauSchedule(Factor: 0.5, Patience: 0))).Fit(model, train, validation);

        // PyTorch's rule, replayed on the recorded validation losses: improvement means below best·(1 − 1e-4).
        var expected = new List<double>();
        double rate = 0.2, best = double.PositiveInfinity;
        foreach (var epoch in history.Epochs)
        {
            expected.Add(rate);
            if (epoch.TestLoss!.Value < best * (1 - 1e-4))
                best = epoch.TestLoss.Value;
            else
                rate *= 0.5;
        }
        Assert.Equal(expected, history.Epochs.Select(e => e.LearningRate));
        Assert.True(expected.Distinct().Count() > 2, "the unlearnable validation set should make the rate fall more than once");
    }

    [Fact]
    public void Reports_the_penalty_apart_from_the_data_loss_and_it_shrinks_the_weights()
    {
        using var train = Synthetic(200, 1);
        using var model = Mlp(1);
        var start = SumOfSquares.Of(model);
        var history = new Trainer(new TrainerOptions(Epochs: 3, BatchSize: 50, Optimizer: "sgd", Momentum: 0, LearningRate: 0.1, Regularizer: new SumOfSquares(1.0)))
            .Fit(model, train);
        var penalties = history.Epochs.Select(e => e.Penalty).ToList();
        Assert.True(penalties[0] < 0.5 * start && penalties[0] > 0, $"first epoch's mean penalty {penalties[0]} vs initial {0.5 * start}");
        Assert.True(penalties[2] < penalties[1] && penalties[1] < penalties[0]);
        Assert.True(SumOfSquares.Of(model) < 0.5 * start);
        Assert.All(history.Epochs, e => Assert.InRange(e.TrainLoss, 0.3, 2.0));   // the data loss alone, not the sum
    }

    [Fact]
    public void Callbacks_see_progress_within_an_epoch_and_can_stop_the_run()
    {
        using var train = Synthetic(200, 1);
        using var model = Mlp(1);
        var callback = new Recorder(stopAfterEpoch: 2);
        var history = new Trainer(new TrainerOptions(Epochs: 5, BatchSize: 50)).Fit(model, train, callbacks: [callback]);
        Assert.Equal(2, history.Epochs.Count);
        Assert.Equal([1, 2, 3, 4, 1, 2, 3, 4], callback.Batches);
        Assert.All(callback.Losses, l => Assert.InRange(l, 0.1, 3.0));
    }

    [Fact]
    public void Cancellation_mid_epoch_stops_at_the_next_batch_and_the_model_still_evaluates()
    {
        using var train = Synthetic(1000, 1);
        using var model = Mlp(1);
        using var cancel = new CancellationTokenSource();
        var callback = new Recorder(cancelAtBatch: 3, cancel: cancel);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer(new TrainerOptions(Epochs: 1, BatchSize: 10)).Fit(model, train, callbacks: [callback], cancellationToken: cancel.Token));
        Assert.Equal([1, 2, 3], callback.Batches);
        Assert.False(model.training);
        Assert.InRange(Trainer.Evaluate(model, train).Accuracy, 0, 1);
    }

    [Fact]
    public void A_masked_model_keeps_its_zeros_through_checkpoint_and_resume()
    {
        using var train = Synthetic(200, 1);
        var path = Path.Combine(_folder, "pruned.ckpt");
        using var model = Mlp(1);
        Pruner.Unstructured(model, ["fc1.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1));
        new Trainer(new TrainerOptions(Epochs: 1, CheckpointPath: path)).Fit(model, train);
        using var other = Mlp(2);
        new Trainer(new TrainerOptions(Epochs: 2, CheckpointPath: path)).Fit(other, train, resumeFrom: path);
        Assert.NotNull(PruningMasks.Get(other, "fc1.weight"));
        Assert.Equal(320, SparsityReport.Create(other).Parameters.Single(p => p.Name == "fc1.weight").Zeros);
    }

    [Fact]
    public void A_diverged_run_still_writes_and_reads_its_checkpoint()
    {
        using var train = Synthetic(100, 1);
        var path = Path.Combine(_folder, "diverged.ckpt");
        using var model = Mlp(1);
        var history = new Trainer(new TrainerOptions(Epochs: 2, Optimizer: "sgd", LearningRate: 1e30, Momentum: 0, CheckpointPath: path)).Fit(model, train);
        Assert.True(double.IsNaN(history.Last!.TrainLoss) || double.IsInfinity(history.Last.TrainLoss));
        var info = CheckpointFile.Inspect(path);
        Assert.Equal(2, info.EpochsCompleted);
        Assert.Equal(history.Last.TrainLoss, info.History.Last!.TrainLoss);
    }

    [Fact]
    public void Refuses_a_checkpoint_of_another_run_and_leaves_the_model_as_it_was()
    {
        using var train = Synthetic(100, 1);
        var path = Path.Combine(_folder, "adam.ckpt");
        using (var model = Mlp(1))
            new Trainer(new TrainerOptions(Epochs: 1, CheckpointPath: path)).Fit(model, train);
        using var other = Mlp(2);
        var before = Weights(other);
        var e = Assert.Throws<InvalidDataException>(() => new Trainer(new TrainerOptions(Epochs: 2, Optimizer: "sgd")).Fit(other, train, resumeFrom: path));
        Assert.Contains("expected Sequential with sgd", e.Message);
        foreach (var (name, value) in Weights(other))
            Assert.True(value.equal(before[name]).all().item<bool>());
    }

    [Fact]
    public void Refuses_a_truncated_checkpoint_and_leaves_the_model_as_it_was()
    {
        using var train = Synthetic(100, 1);
        var path = Path.Combine(_folder, "cut.ckpt");
        using (var model = Mlp(1))
            new Trainer(new TrainerOptions(Epochs: 1, CheckpointPath: path)).Fit(model, train);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 40)]);
        using var other = Mlp(2);
        var before = Weights(other);
        var e = Assert.Throws<InvalidDataException>(() => new Trainer(new TrainerOptions(Epochs: 2)).Fit(other, train, resumeFrom: path));
        Assert.Contains("cut.ckpt", e.Message);
        foreach (var (name, value) in Weights(other))
            Assert.True(value.equal(before[name]).all().item<bool>());
    }

    [Theory]
    [InlineData("missing-folder/run.ckpt", "does not exist")]
    [InlineData("", "Checkpoint path is empty")]
    public void Rejects_an_unwritable_checkpoint_path_before_training(string relative, string message)
    {
        var path = relative.Length == 0 ? relative : Path.Combine(_folder, relative);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(new TrainerOptions(CheckpointPath: path)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Rejects_negative_patience_and_early_stopping_without_validation()
    {
        Assert.Contains("patience must be zero or more",
            Assert.Throws<ArgumentException>(() => new Trainer(new TrainerOptions(EarlyStopping: new EarlyStopping(Patience: -1)))).Message);
        using var train = Synthetic(100, 1);
        using var model = Mlp(1);
        Assert.Contains("watches a validation metric",
            Assert.Throws<ArgumentException>(() => new Trainer(new TrainerOptions(EarlyStopping: new EarlyStopping())).Fit(model, train)).Message);
    }

    /// <summary>Halves the rate every epoch (a stand-in kept local so the test does not depend on the schedule library).</summary>
    private sealed class HalvingSchedule : ILearningRateSchedule
    {
        public ScheduleUnit Unit => ScheduleUnit.Epoch;

        public double RateAt(long t, double baseRate, ScheduleState state) => baseRate * Math.Pow(0.5, t);

        public string Describe() => "halving";
    }

    private sealed class ZeroSchedule : ILearningRateSchedule
    {
        public ScheduleUnit Unit => ScheduleUnit.Step;

        public double RateAt(long t, double baseRate, ScheduleState state) => 0;

        public string Describe() => "zero";
    }

    /// <summary>(λ/2)·Σw² over the regularized weights.</summary>
    private sealed class SumOfSquares(double lambda) : IRegularizer
    {
        public Tensor Penalty(IReadOnlyList<Tensor> parameters) => parameters.Select(p => p.square().sum()).Aggregate((a, b) => a + b) * (lambda / 2);

        public string Describe() => $"sum of squares({lambda})";

        public static double Of(nn.Module model) =>
            Pruner.DefaultTargets(model).Sum(name => ModuleTree.Resolve(model, name).Value.square().sum().item<float>());
    }

    private sealed class Recorder(int stopAfterEpoch = int.MaxValue, int cancelAtBatch = int.MaxValue, CancellationTokenSource? cancel = null) : ITrainingCallback
    {
        public List<long> Batches { get; } = [];

        public List<double> Losses { get; } = [];

        public TimeSpan ProgressInterval => TimeSpan.Zero;

        public void OnProgress(TrainingProgress progress)
        {
            Batches.Add(progress.Batch);
            Losses.Add(progress.RunningTrainLoss);
            if (progress.Batch == cancelAtBatch)
                cancel?.Cancel();
        }

        public bool OnEpochEnd(EpochMetrics metrics) => metrics.Epoch < stopAfterEpoch;
    }
}
