using System.Diagnostics;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Core.Optimization;

/// <summary>
/// Feeds a live view of a training run (a chart updated in place) with <see cref="TrainingStatus"/> snapshots, within a
/// time budget: publishing (rendering a chart) runs on the training thread, so a snapshot is only taken when the time
/// spent publishing so far, plus the expected cost of this one (the last one's), stays within <see cref="MaxShare"/> of
/// the run's wall time — and at least <see cref="MinimumInterval"/> after the previous one. A chart that takes 170 ms
/// to render is then redrawn about every 6 s at the default 3 %, not every second.
/// </summary>
/// <param name="options">The run's options (planned epochs, optimizer and batch size for the title).</param>
/// <param name="modelName">The model's type name.</param>
/// <param name="publish">Shows a snapshot (e.g. creates or updates a notebook display).</param>
/// <param name="minimumInterval">The least time between two snapshots; default 1 s.</param>
/// <param name="maxShare">The largest share of wall time publishing may take (0..1); default 0.03.</param>
public sealed class LiveTrainingFeed(TrainerOptions options, string modelName, Action<TrainingStatus> publish, TimeSpan? minimumInterval = null, double maxShare = 0.03)
    : ITrainingCallback
{
    private readonly List<EpochMetrics> _epochs = [];
    private readonly TrainingHistory _shape = new(modelName, options.OptimizerName, options.BatchSize, [], null, options.Schedule?.Describe(), options.Regularizer?.Describe());
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last = TimeSpan.MinValue;
    private TimeSpan _expectedCost = TimeSpan.FromMilliseconds(100);

    /// <summary>The least time between two snapshots.</summary>
    public TimeSpan MinimumInterval { get; } = minimumInterval ?? TimeSpan.FromSeconds(1);

    /// <summary>The largest share of wall time publishing may take.</summary>
    public double MaxShare { get; } = maxShare is > 0 and <= 1 ? maxShare : throw new ArgumentOutOfRangeException(nameof(maxShare), maxShare, "The share must be in (0, 1].");

    /// <summary>Snapshots published so far.</summary>
    public int Published { get; private set; }

    /// <summary>Total time spent publishing.</summary>
    public TimeSpan PublishingTime { get; private set; }

    /// <inheritdoc />
    public TimeSpan ProgressInterval => MinimumInterval;

    /// <inheritdoc />
    public void OnProgress(TrainingProgress progress)
    {
        if (Due())
            Publish(new TrainingStatus(History(), progress, options.Epochs, TrainingState.Running));
    }

    /// <inheritdoc />
    public bool OnEpochEnd(EpochMetrics metrics)
    {
        _epochs.Add(metrics);
        if (Due())
            Publish(new TrainingStatus(History(), null, options.Epochs, TrainingState.Running));
        return true;
    }

    /// <summary>Publishes the final state of the run (always, whatever the budget).</summary>
    public void Finish(TrainingHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        Publish(new TrainingStatus(history, null, options.Epochs, history.StoppedEarly ? TrainingState.StoppedEarly : TrainingState.Finished));
    }

    /// <summary>Publishes the epochs completed before an interrupt (always).</summary>
    public void Cancelled() => Publish(new TrainingStatus(History(), null, options.Epochs, TrainingState.Cancelled));

    private TrainingHistory History() => _shape with { Epochs = _epochs.ToList() };

    private bool Due()
    {
        var now = _clock.Elapsed;
        return (_last == TimeSpan.MinValue || now - _last >= MinimumInterval)
               && (PublishingTime + _expectedCost).Ticks <= MaxShare * now.Ticks;
    }

    private void Publish(TrainingStatus status)
    {
        var start = _clock.Elapsed;
        publish(status);
        _last = _clock.Elapsed;
        _expectedCost = _last - start;
        Published++;
        PublishingTime += _expectedCost;
    }
}
