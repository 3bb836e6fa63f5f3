namespace PruneNotebook.Core.Reports;

/// <summary>Where a training run is inside an epoch.</summary>
/// <param name="Epoch">1-based epoch in progress.</param>
/// <param name="Epochs">Planned epochs.</param>
/// <param name="Batch">Batches completed in this epoch.</param>
/// <param name="BatchesPerEpoch">Batches in one epoch.</param>
/// <param name="RunningTrainLoss">Mean data loss over this epoch's completed batches.</param>
/// <param name="LearningRate">The learning rate of the latest step.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, long Batch, long BatchesPerEpoch, double RunningTrainLoss, double LearningRate)
{
    /// <summary>Fractional epochs completed, e.g. 2.5 halfway through the third epoch.</summary>
    public double EpochsDone => Epoch - 1 + (double)Batch / Math.Max(1, BatchesPerEpoch);
}
