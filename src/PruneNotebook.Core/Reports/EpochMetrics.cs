namespace PruneNotebook.Core.Reports;

/// <summary>What one training epoch measured.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean cross-entropy over the epoch's training batches (weighted by batch size).</param>
/// <param name="TestLoss">Mean cross-entropy on the evaluation set after the epoch, or <c>null</c> without one.</param>
/// <param name="TestAccuracy">Fraction (0..1) of the evaluation set classified correctly, or <c>null</c> without one.</param>
/// <param name="Seconds">Wall time of the epoch's training (evaluation excluded).</param>
/// <param name="LearningRate">Learning rate in effect during the epoch.</param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double? TestLoss,
    double? TestAccuracy,
    double Seconds,
    double LearningRate);
