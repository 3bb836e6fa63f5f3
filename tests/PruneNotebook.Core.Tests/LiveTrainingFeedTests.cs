using System.Diagnostics;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Core.Tests;

public class LiveTrainingFeedTests
{
    private static readonly TrainerOptions Options = new(Epochs: 3);

    [Fact]
    public void Publishing_takes_at_most_its_share_of_the_time()
    {
        var feed = new LiveTrainingFeed(Options, "Model", _ => Thread.Sleep(20), minimumInterval: TimeSpan.Zero, maxShare: 0.25);
        var clock = Stopwatch.StartNew();
        var calls = 0;
        while (clock.ElapsedMilliseconds < 400)
        {
            feed.OnProgress(new TrainingProgress(1, 3, ++calls, 1000, 0.5, 1e-3));
            Thread.Sleep(1);
        }
        // Each 20 ms publish is followed by ≥ 80 ms without one: at most 400 / 100 + 1 of them, far fewer than the calls.
        Assert.InRange(feed.Published, 2, 5);
        Assert.True(calls > 3 * feed.Published, $"{calls} calls, {feed.Published} publishes");
        Assert.True(feed.PublishingTime.TotalMilliseconds <= 0.25 * clock.ElapsedMilliseconds + 20);
    }

    [Fact]
    public void Epochs_accumulate_and_the_final_state_is_always_published()
    {
        var seen = new List<TrainingStatus>();
        var feed = new LiveTrainingFeed(Options, "Model", seen.Add, minimumInterval: TimeSpan.FromHours(1));
        feed.OnEpochEnd(new EpochMetrics(1, 0.9, 0.8, 0.7, 1, 1e-3));   // published: nothing was shown yet
        feed.OnEpochEnd(new EpochMetrics(2, 0.7, 0.6, 0.8, 1, 1e-3));   // held back: within the interval
        feed.Finish(new TrainingHistory("Model", "adam", 128, [new EpochMetrics(1, 0.9, 0.8, 0.7, 1, 1e-3), new EpochMetrics(2, 0.7, 0.6, 0.8, 1, 1e-3)], StoppedEarly: true));
        Assert.Equal(2, seen.Count);
        Assert.Equal(1, seen[0].History.Epochs.Count);
        Assert.Equal(TrainingState.Running, seen[0].State);
        Assert.Equal(TrainingState.StoppedEarly, seen[1].State);
        Assert.Equal(2, seen[1].History.Epochs.Count);
    }
}
