using PruneNotebook.Core.Reports;

namespace PruneNotebook.Core.Optimization;

/// <summary>
/// Observes a <see cref="Trainer"/> run: throttled progress inside an epoch (for a live chart) and the metrics of every
/// finished epoch, with the option to stop. Both methods run on the training thread; keep them short.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>The least time between two <see cref="OnProgress"/> calls. Each call reads the running loss back from the device once.</summary>
    TimeSpan ProgressInterval => TimeSpan.FromSeconds(1);

    /// <summary>Called during an epoch at most once per <see cref="ProgressInterval"/>.</summary>
    void OnProgress(TrainingProgress progress)
    {
    }

    /// <summary>Called after each epoch has been evaluated; return <c>false</c> to stop training after this epoch.</summary>
    bool OnEpochEnd(EpochMetrics metrics) => true;
}
