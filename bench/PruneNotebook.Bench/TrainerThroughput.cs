using System.Diagnostics;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using static TorchSharp.torch;

namespace PruneNotebook.Bench;

/// (a) Our <see cref="Trainer.Fit"/>: one epoch over the first <c>warm-up batches × batch size</c> examples
/// as warm-up, then one timed epoch over the first <c>Examples</c> training examples.
public static class TrainerThroughput
{
    public static ThroughputResult Measure(FashionMnist data, TrainingBenchmarkOptions options)
    {
        manual_seed(TrainingBenchmarkOptions.Seed);
        using var model = new LeNet5();
        var trainer = new Trainer(new TrainerOptions(
            Epochs: 1,
            BatchSize: TrainingBenchmarkOptions.BatchSize,
            LearningRate: TrainingBenchmarkOptions.LearningRate,
            Optimizer: "adam",
            Seed: TrainingBenchmarkOptions.Seed));

        var warmupExamples = Math.Min((long)options.WarmupBatches * TrainingBenchmarkOptions.BatchSize, data.Train.Count);
        if (warmupExamples > 0)
        {
            using var warmup = FirstExamples(data.Train, warmupExamples);
            trainer.Fit(model, warmup);
        }

        var examples = Math.Min(options.Examples, data.Train.Count);
        using var timedSubset = examples < data.Train.Count ? FirstExamples(data.Train, examples) : null;
        var timed = timedSubset ?? data.Train;
        var watch = Stopwatch.StartNew();
        trainer.Fit(model, timed);
        watch.Stop();

        var accuracy = Trainer.Evaluate(model, data.Test).Accuracy;
        return new ThroughputResult("ours (Trainer.Fit)", examples, watch.Elapsed.TotalSeconds, accuracy);
    }

    private static TensorDataset FirstExamples(TensorDataset dataset, long count)
    {
        using var indices = arange(count, dtype: ScalarType.Int64);
        return dataset.Subset(indices);
    }
}
