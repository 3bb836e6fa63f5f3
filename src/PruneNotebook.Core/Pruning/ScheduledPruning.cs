using System.Diagnostics;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>Runs any pruning schedule with training: one-shot then fine-tune, Han's iterative rounds, Zhu &amp; Gupta's gradual pruning, or one of your own.</summary>
public static class ScheduledPruning
{
    /// <summary>
    /// Trains <paramref name="model"/> while pruning it as <paramref name="schedule"/> says. A schedule with rounds
    /// (<see cref="IPruningRounds"/>, e.g. <see cref="IterativeSchedule"/>) prunes to <c>TargetAt(r)</c> and then fine-tunes
    /// for its <see cref="IPruningRounds.FineTuneEpochs"/> at <see cref="IPruningRounds.LearningRateFactor"/> × the learning
    /// rate of <paramref name="training"/>, round after round: one stage per round. Any other schedule (e.g.
    /// <see cref="OneShotSchedule"/>, <see cref="GradualSchedule"/>) trains with <paramref name="training"/> and prunes to
    /// <c>TargetAt(step)</c> before training (step 0) and after every optimizer step that has a target (counted from the
    /// start of this run): one stage per epoch.
    /// </summary>
    /// <param name="model">A trained classifier; pruned and trained in place.</param>
    /// <param name="train">Training data; also the data a criterion that measures on data (Taylor) uses.</param>
    /// <param name="test">Evaluation data.</param>
    /// <param name="schedule">Any schedule.</param>
    /// <param name="training">Training options (epochs, learning rate, …); for rounds, the base of each round's fine-tuning.</param>
    /// <param name="targets">Parameters to prune; default <see cref="Pruner.DefaultTargets"/>.</param>
    /// <param name="criterion">A criterion that scores entries; default magnitude (L1).</param>
    /// <param name="scope">Local (default: each parameter reaches the sparsity) or global.</param>
    /// <param name="progress">Receives each stage as it completes.</param>
    /// <param name="cancellationToken">Stops at the next batch.</param>
    /// <returns>The accuracy before pruning and one stage per epoch or round.</returns>
    /// <exception cref="ArgumentException">Unknown parameter, or a criterion that cannot score entries.</exception>
    public static PruningHistory Run(nn.Module<Tensor, Tensor> model, TensorDataset train, TensorDataset test, IPruningSchedule schedule, TrainerOptions training,
        IReadOnlyList<string>? targets = null, ICriterion? criterion = null, PruningScope scope = PruningScope.Local,
        IProgress<PruningStage>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(training);
        var names = targets ?? Pruner.DefaultTargets(model);
        var chosen = criterion ?? new MagnitudeCriterion(1);
        CriterionScoring.Entries(chosen);
        using var context = new ScoringContext(model, train);
        return schedule is IPruningRounds rounds
            ? InRounds(model, train, test, rounds, training, names, chosen, scope, context, progress, cancellationToken)
            : BySteps(model, train, test, schedule, training, names, chosen, scope, context, progress, cancellationToken);
    }

    /// <summary>Optimizer steps in one epoch of <paramref name="train"/>.</summary>
    public static long Batches(TensorDataset train, TrainerOptions options) => (train.Count + options.BatchSize - 1) / options.BatchSize;

    private static PruningHistory InRounds(nn.Module<Tensor, Tensor> model, TensorDataset train, TensorDataset test, IPruningRounds schedule, TrainerOptions training,
        IReadOnlyList<string> names, ICriterion criterion, PruningScope scope, ScoringContext context, IProgress<PruningStage>? progress, CancellationToken cancellationToken)
    {
        long steps = 0;
        Dictionary<string, Tensor>? rewindTo = null;
        try
        {
            if (schedule is IRewindingRounds rewinding)
                (rewindTo, steps) = TrainDenseKeeping(model, train, test, rewinding, training, cancellationToken);
            return Rounds(model, train, test, schedule, training, names, criterion, scope, context, progress, rewindTo, steps, cancellationToken);
        }
        finally
        {
            if (rewindTo is not null)
                foreach (var kept in rewindTo.Values)
                    kept.Dispose();
        }
    }

    /// <summary>The original training of a rewinding schedule, keeping the parameters after its rewind step.</summary>
    private static (Dictionary<string, Tensor> Kept, long Steps) TrainDenseKeeping(nn.Module<Tensor, Tensor> model, TensorDataset train, TensorDataset test,
        IRewindingRounds schedule, TrainerOptions training, CancellationToken cancellationToken)
    {
        Dictionary<string, Tensor> Snapshot() => model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().DetachFromDisposeScope());
        var kept = schedule.RewindStep == 0 ? Snapshot() : null;
        var options = training with { Epochs = schedule.FineTuneEpochs };
        new Trainer(options).Fit(model, train, test, cancellationToken: cancellationToken, afterStep: step =>
        {
            if (kept is null && step >= schedule.RewindStep)
                kept = Snapshot();
        });
        return (kept ?? Snapshot(), Batches(train, options) * options.Epochs);
    }

    private static PruningHistory Rounds(nn.Module<Tensor, Tensor> model, TensorDataset train, TensorDataset test, IPruningRounds schedule, TrainerOptions training,
        IReadOnlyList<string> names, ICriterion criterion, PruningScope scope, ScoringContext context, IProgress<PruningStage>? progress,
        Dictionary<string, Tensor>? rewindTo, long steps, CancellationToken cancellationToken)
    {
        var dense = Trainer.Evaluate(model, test).Accuracy;
        var stages = new List<PruningStage>();
        for (var round = 0; round < schedule.Rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            if (schedule.TargetAt(round) is { } target)
                Pruner.PruneToWithoutReport(model, names, target, criterion, scope, context);
            if (rewindTo is not null)
            {
                // The survivors go back to their values at the rewind step; the masks keep the pruned ones at zero.
                using (no_grad())
                    foreach (var (name, parameter) in model.named_parameters())
                        parameter.copy_(rewindTo[name]);
                PruningMasks.Apply(model);
            }
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

    private static PruningHistory BySteps(nn.Module<Tensor, Tensor> model, TensorDataset train, TensorDataset test, IPruningSchedule schedule, TrainerOptions training,
        IReadOnlyList<string> names, ICriterion criterion, PruningScope scope, ScoringContext context, IProgress<PruningStage>? progress, CancellationToken cancellationToken)
    {
        var dense = Trainer.Evaluate(model, test).Accuracy;
        double? afterPruning = null;
        if (schedule.TargetAt(0) is { } first)
        {
            Pruner.PruneToWithoutReport(model, names, first, criterion, scope, context);
            afterPruning = Trainer.Evaluate(model, test).Accuracy;
        }
        var stages = new List<PruningStage>();
        var epochProgress = new EpochStages(stages, progress, () => Sparsity(model, names), Batches(train, training), afterPruning);
        new Trainer(training).Fit(model, train, test, progress: epochProgress, cancellationToken: cancellationToken, afterStep: step =>
        {
            if (schedule.TargetAt(step) is { } target)
                Pruner.PruneToWithoutReport(model, names, target, criterion, scope, context);
        });
        return new PruningHistory(schedule.Name, model.GetType().Name, dense, stages);
    }

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
