using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>Loads the real Fashion-MNIST once for the trainer tests.</summary>
public sealed class FashionMnistFixture : IDisposable
{
    public FashionMnist Data { get; } = FashionMnist.Load(device: CPU);

    public void Dispose() => Data.Dispose();
}

public class TrainerTests(FashionMnistFixture fixture) : IClassFixture<FashionMnistFixture>
{
    [Fact]
    public void One_epoch_of_LeNet5_on_fashion_mnist_reaches_80_percent_test_accuracy()
    {
        manual_seed(0);
        using var model = new LeNet5();
        var history = new Trainer(new TrainerOptions(Epochs: 1, BatchSize: 128, LearningRate: 1e-3, Seed: 0))
            .Fit(model, fixture.Data.Train, fixture.Data.Test);
        var epoch = Assert.Single(history.Epochs);
        Assert.True(epoch.TestAccuracy >= 0.80, $"test accuracy {epoch.TestAccuracy:P2} is below 80 %");
        Assert.InRange(epoch.TrainLoss, 0.2, 1.2);
        Assert.Equal(Trainer.Evaluate(model, fixture.Data.Test).Accuracy, epoch.TestAccuracy!.Value, 10);
    }

    [Fact]
    public void The_same_seed_gives_the_same_loss_sequence()
    {
        using var subset = fixture.Data.Train.Subset(arange(2_000));
        double[] Run(long seed)
        {
            manual_seed(seed);
            using var model = new LeNet5();
            var history = new Trainer(new TrainerOptions(Epochs: 2, BatchSize: 64, Seed: seed)).Fit(model, subset);
            return history.Epochs.Select(e => e.TrainLoss).ToArray();
        }
        var first = Run(1);
        Assert.Equal(first, Run(1));
        Assert.NotEqual(first, Run(2));
        Assert.True(first[1] < first[0], "the loss should fall in the second epoch");
    }

    [Fact]
    public void Reports_each_epoch_through_progress_as_it_ends()
    {
        using var subset = fixture.Data.Train.Subset(arange(512));
        manual_seed(0);
        using var model = new LeNet300_100();
        var reported = new List<int>();
        var history = new Trainer(new TrainerOptions(Epochs: 3, BatchSize: 128))
            .Fit(model, subset, progress: new SynchronousProgress(m => reported.Add(m.Epoch)));
        Assert.Equal([1, 2, 3], reported);
        Assert.All(history.Epochs, e => Assert.Null(e.TestAccuracy));
    }

    [Fact]
    public void Stops_at_the_next_batch_when_cancelled_and_leaves_the_model_usable()
    {
        using var subset = fixture.Data.Train.Subset(arange(1_024));
        using var model = new LeNet300_100();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() => new Trainer().Fit(model, subset, cancellationToken: cancel.Token));
        Assert.InRange(Trainer.Evaluate(model, subset).Accuracy, 0, 1);
    }

    [Theory]
    [InlineData(0, 128, 1e-3, "adam", "Epochs must be at least 1")]
    [InlineData(1, 0, 1e-3, "adam", "Batch size must be at least 1")]
    [InlineData(1, 128, -1.0, "adam", "Learning rate must be a positive number")]
    [InlineData(1, 128, 1e-3, "lbfgs2", "Unknown optimizer 'lbfgs2': expected one of adam, adamw, sgd, rmsprop, adagrad")]
    public void Rejects_bad_options_before_training(int epochs, int batch, double lr, string optimizer, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new Trainer(new TrainerOptions(epochs, batch, lr, optimizer)));
        Assert.Contains(message, e.Message);
    }

    private sealed class SynchronousProgress(Action<Reports.EpochMetrics> report) : IProgress<Reports.EpochMetrics>
    {
        public void Report(Reports.EpochMetrics value) => report(value);
    }
}
