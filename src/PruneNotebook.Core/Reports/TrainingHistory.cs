namespace PruneNotebook.Core.Reports;

/// <summary>The per-epoch record of one training run, oldest epoch first.</summary>
/// <param name="ModelName">The trained model's type name.</param>
/// <param name="Optimizer">Optimizer name (e.g. <c>adam</c>).</param>
/// <param name="BatchSize">Mini-batch size.</param>
/// <param name="Epochs">One entry per completed epoch.</param>
public sealed record TrainingHistory(string ModelName, string Optimizer, int BatchSize, IReadOnlyList<EpochMetrics> Epochs)
{
    /// <summary>The last epoch, or <c>null</c> when no epoch completed.</summary>
    public EpochMetrics? Last => Epochs.Count == 0 ? null : Epochs[^1];

    /// <summary>Total training seconds over all epochs.</summary>
    public double TotalSeconds => Epochs.Sum(e => e.Seconds);
}
