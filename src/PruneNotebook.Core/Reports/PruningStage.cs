namespace PruneNotebook.Core.Reports;

/// <summary>One point of a pruning run: after a round (iterative) or an epoch (gradual, one-shot).</summary>
/// <param name="Stage">1-based round or epoch.</param>
/// <param name="Step">Training steps completed so far in the run.</param>
/// <param name="Sparsity">Fraction of the pruned parameters that is zero.</param>
/// <param name="TestAccuracy">Accuracy on the evaluation set at this point.</param>
/// <param name="AccuracyBeforeFineTuning">
/// For rounds: accuracy right after the round's pruning, before fine-tuning; for the first epoch of a stepped schedule that
/// pruned before training: accuracy right after that pruning.
/// </param>
/// <param name="TrainLoss">Mean training loss of the stage's last epoch.</param>
/// <param name="Seconds">Wall time of the stage.</param>
public sealed record PruningStage(int Stage, long Step, double Sparsity, double TestAccuracy, double? AccuracyBeforeFineTuning, double TrainLoss, double Seconds);
