using System.Diagnostics;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;
using PruneNotebook.Visualization;
using static TorchSharp.torch;

namespace PruneNotebook.Bench;

/// (a) Our <see cref="Trainer.Fit"/>: one epoch over the first <c>warm-up batches × batch size</c> examples
/// as warm-up, then one timed epoch over the first <c>Examples</c> training examples — with everything a notebook
/// run has switched on: the per-step learning-rate record, the history, and the <see cref="LiveTrainingFeed"/> that
/// renders the live learning-curve HTML (status line + Plotly chart) exactly as <c>#!train</c> throttles it.
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
        // What #!train's live display does on each update, minus sending the HTML to the notebook.
        var live = new LiveTrainingFeed(trainer.Options, nameof(LeNet5), status => TrainingStatusHtml.ToHtml(status, includePlotlyJs: false));
        var watch = Stopwatch.StartNew();
        trainer.Fit(model, timed, callbacks: [live]);
        watch.Stop();
        Console.Write($"[{live.Published} live renders, {live.PublishingTime.TotalMilliseconds:F0} ms] ");

        var accuracy = Trainer.Evaluate(model, data.Test).Accuracy;
        return new ThroughputResult("ours (Trainer.Fit)", examples, watch.Elapsed.TotalSeconds, accuracy);
    }

    private static TensorDataset FirstExamples(TensorDataset dataset, long count)
    {
        using var indices = arange(count, dtype: ScalarType.Int64);
        return dataset.Subset(indices);
    }
}
