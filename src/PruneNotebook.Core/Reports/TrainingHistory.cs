namespace PruneNotebook.Core.Reports;

/// <summary>The per-epoch record of one training run, oldest epoch first.</summary>
/// <param name="ModelName">The trained model's type name.</param>
/// <param name="Optimizer">Optimizer name (e.g. <c>adam</c>).</param>
/// <param name="BatchSize">Mini-batch size.</param>
/// <param name="Epochs">One entry per completed epoch.</param>
/// <param name="StepLearningRates">The learning rate used at every optimizer step, in order (empty when not recorded).</param>
/// <param name="Schedule">Description of the learning-rate schedule, or <c>null</c> for a fixed rate.</param>
/// <param name="Regularizer">Description of the regularizer, or <c>null</c>.</param>
/// <param name="BestEpoch">The epoch whose weights the model holds after early stopping restored the best, or <c>null</c>.</param>
/// <param name="StoppedEarly">Whether early stopping ended the run before the planned number of epochs.</param>
public sealed record TrainingHistory(
    string ModelName,
    string Optimizer,
    int BatchSize,
    IReadOnlyList<EpochMetrics> Epochs,
    IReadOnlyList<double>? StepLearningRates = null,
    string? Schedule = null,
    string? Regularizer = null,
    int? BestEpoch = null,
    bool StoppedEarly = false)
{
    /// <summary>The last epoch, or <c>null</c> when no epoch completed.</summary>
    public EpochMetrics? Last => Epochs.Count == 0 ? null : Epochs[^1];

    /// <summary>Total training seconds over all epochs.</summary>
    public double TotalSeconds => Epochs.Sum(e => e.Seconds);

    /// <summary>The learning rate used at every optimizer step (never null).</summary>
    public IReadOnlyList<double> LearningRates => StepLearningRates ?? Array.Empty<double>();
}
