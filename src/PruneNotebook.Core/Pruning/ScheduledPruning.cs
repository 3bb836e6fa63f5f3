using System.Diagnostics;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>Runs pruning schedules with training: one-shot then fine-tune, Han's iterative rounds, Zhu &amp; Gupta's gradual pruning.</summary>
public static class ScheduledPruning
{
    /// <summary>
    /// Prunes to the schedule's sparsity once, then fine-tunes for <paramref name="fineTune"/>'s epochs; one stage per epoch.
    /// </summary>
    /// <param name="model">A trained classifier; pruned and fine-tuned in place.</param>
    /// <param name="train">Fine-tuning data.</param>
    /// <param name="test">Evaluation data.</param>
    /// <param name="schedule">The one-shot schedule.</param>
    /// <param name="fineTune">Fine-tuning options (epochs, learning rate, …).</param>
    /// <param name="targets">Parameters to prune; default <see cref="Pruner.DefaultTargets"/>.</param>
    /// <param name="importance">Criterion; default magnitude (L1).</param>
    /// <param name="scope">Global (default) or local.</param>
    /// <param name="progress">Receives each stage as it completes.</param>
    /// <param name="cancellationToken">Stops at the next batch.</param>
    public static PruningHistory OneShot(nn.Module<Tensor, Tensor> model, TensorDataset train, TensorDataset test, OneShotSchedule schedule, TrainerOptions fineTune,
        IReadOnlyList<string>? targets = null, IImportance? importance = null, PruningScope scope = PruningScope.Global,
        IProgress<PruningStage>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var (names, criterion) = Defaults(model, targets, importance);
        var dense = Trainer.Evaluate(model, test).Accuracy;
        Pruner.PruneTo(model, names, schedule.FinalSparsity, criterion, scope);
        var afterPruning = Trainer.Evaluate(model, test).Accuracy;
        var stages = new List<PruningStage>();
        var trainer = new Trainer(fineTune);
        var epochProgress = new EpochStages(stages, progress, () => Sparsity(model, names), batchesPerEpoch: Batches(train, fineTune), afterPruning);
        trainer.Fit(model, train, test, progress: epochProgress, cancellationToken: cancellationToken);
        return new PruningHistory(schedule.Name, model.GetType().Name, dense, stages);
    }

    /// <summary>
    /// Han et al.'s iterative pruning: each round prunes to the schedule's next sparsity, then fine-tunes for
    /// <see cref="IterativeSchedule.FineTuneEpochs"/> epochs at <see cref="IterativeSchedule.LearningRateFactor"/> × the
    /// learning rate of <paramref name="training"/>. One stage per round.
    /// </summary>
    public static PruningHistory Iterative(nn.Module<Tensor, Tensor> model, TensorDataset train, TensorDataset test, IterativeSchedule schedule, TrainerOptions training,
        IReadOnlyList<string>? targets = null, IImportance? importance = null, PruningScope scope = PruningScope.Global,
        IProgress<PruningStage>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(training);
        var (names, criterion) = Defaults(model, targets, importance);
        var dense = Trainer.Evaluate(model, test).Accuracy;
        var stages = new List<PruningStage>();
        long steps = 0;
        for (var round = 0; round < schedule.Rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            Pruner.PruneTo(model, names, schedule.TargetAt(round)!.Value, criterion, scope);
            var afterPruning = Trainer.Evaluate(model, test).Accuracy;
            var options = training with
            {
                Epochs = schedule.FineTuneEpochs,
                LearningRate = training.LearningRate * schedule.LearningRateFactor,
                Seed = training.Seed + round,
            };
            var history = new Trainer(options).Fit(model, train, test, cancellationToken: cancellationToken);
            steps += Batches(train, options) * options.Epochs;
            var last = history.Last!;
            var stage = new PruningStage(round + 1, steps, Sparsity(model, names), last.TestAccuracy!.Value, afterPruning, last.TrainLoss, watch.Elapsed.TotalSeconds);
            stages.Add(stage);
            progress?.Report(stage);
        }
        return new PruningHistory(schedule.Name, model.GetType().Name, dense, stages);
    }

    /// <summary>
    /// Zhu &amp; Gupta's gradual pruning: trains with <paramref name="training"/> and raises the sparsity at the schedule's
    /// steps (counted in optimizer steps from the start of this run; step 0 prunes before training). One stage per epoch.
    /// </summary>
    public static PruningHistory Gradual(nn.Module<Tensor, Tensor> model, TensorDataset train, TensorDataset test, GradualSchedule schedule, TrainerOptions training,
        IReadOnlyList<string>? targets = null, IImportance? importance = null, PruningScope scope = PruningScope.Global,
        IProgress<PruningStage>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var (names, criterion) = Defaults(model, targets, importance);
        var dense = Trainer.Evaluate(model, test).Accuracy;
        if (schedule.TargetAt(0) is { } first)
            Pruner.PruneTo(model, names, first, criterion, scope);
        var stages = new List<PruningStage>();
        var epochProgress = new EpochStages(stages, progress, () => Sparsity(model, names), Batches(train, training), null);
        new Trainer(training).Fit(model, train, test, progress: epochProgress, cancellationToken: cancellationToken, afterStep: step =>
        {
            if (schedule.TargetAt(step) is { } target)
                Pruner.PruneToWithoutReport(model, names, target, criterion, scope);
        });
        return new PruningHistory(schedule.Name, model.GetType().Name, dense, stages);
    }

    /// <summary>Optimizer steps in one epoch of <paramref name="train"/>.</summary>
    public static long Batches(TensorDataset train, TrainerOptions options) => (train.Count + options.BatchSize - 1) / options.BatchSize;

    private static (IReadOnlyList<string>, IImportance) Defaults(nn.Module model, IReadOnlyList<string>? targets, IImportance? importance) =>
        (targets ?? Pruner.DefaultTargets(model), importance ?? new LnNormImportance(1));

    private static double Sparsity(nn.Module model, IReadOnlyList<string> targets) => SparsityReport.Create(model).SparsityOf(targets);

    /// <summary>Turns the trainer's epoch metrics into pruning stages.</summary>
    private sealed class EpochStages(List<PruningStage> stages, IProgress<PruningStage>? progress, Func<double> sparsity, long batchesPerEpoch, double? firstBefore)
        : IProgress<EpochMetrics>
    {
        public void Report(EpochMetrics value)
        {
            var stage = new PruningStage(value.Epoch, value.Epoch * batchesPerEpoch, sparsity(), value.TestAccuracy ?? double.NaN,
                value.Epoch == 1 ? firstBefore : null, value.TrainLoss, value.Seconds);
            stages.Add(stage);
            progress?.Report(stage);
        }
    }
}
