using System.Diagnostics;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PruneNotebook.Bench;

/// (b) The least a TorchSharp training loop does: the same <see cref="LeNet5"/>, Adam, batches gathered with
/// <c>index_select</c> from a seeded <c>randperm</c> (as <see cref="TensorDataset"/> does), cross-entropy,
/// zero_grad/backward/step, and no host reads inside the loop. Like two <c>Trainer.Fit</c> calls, the warm-up and
/// the timed pass each get a fresh Adam (the model keeps its weights), so (a) and (b) do the same arithmetic.
public static class BareLoopThroughput
{
    public static ThroughputResult Measure(FashionMnist data, TrainingBenchmarkOptions options)
    {
        manual_seed(TrainingBenchmarkOptions.Seed);
        using var model = new LeNet5();
        var features = data.Train.Features;
        var labels = data.Train.Labels;

        var warmupExamples = Math.Min((long)options.WarmupBatches * TrainingBenchmarkOptions.BatchSize, data.Train.Count);
        if (warmupExamples > 0)
        {
            using var warmupOptimizer = optim.Adam(model.parameters(), TrainingBenchmarkOptions.LearningRate);
            TrainOnFirst(model, warmupOptimizer, features, labels, warmupExamples, TrainingBenchmarkOptions.Seed + 1);
        }

        var examples = Math.Min(options.Examples, data.Train.Count);
        using var optimizer = optim.Adam(model.parameters(), TrainingBenchmarkOptions.LearningRate);
        var watch = Stopwatch.StartNew();
        TrainOnFirst(model, optimizer, features, labels, examples, TrainingBenchmarkOptions.Seed + 1);
        watch.Stop();

        var accuracy = Trainer.Evaluate(model, data.Test).Accuracy;
        return new ThroughputResult("bare TorchSharp", examples, watch.Elapsed.TotalSeconds, accuracy);
    }

    /// One shuffled pass over the first <paramref name="count"/> examples.
    private static void TrainOnFirst(LeNet5 model, optim.Optimizer optimizer, Tensor features, Tensor labels, long count, long seed)
    {
        model.train();
        using var generator = new Generator((ulong)seed);
        using var order = randperm(count, generator: generator);
        for (long start = 0; start < count; start += TrainingBenchmarkOptions.BatchSize)
        {
            using var scope = NewDisposeScope();
            var index = order.narrow(0, start, Math.Min(TrainingBenchmarkOptions.BatchSize, count - start));
            var x = features.index_select(0, index);
            var y = labels.index_select(0, index);
            optimizer.zero_grad();
            var loss = cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
        }
    }
}
