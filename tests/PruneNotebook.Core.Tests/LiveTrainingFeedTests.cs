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
        while (clock.ElapsedMilliseconds < 1000)
        {
            feed.OnProgress(new TrainingProgress(1, 3, ++calls, 1000, 0.5, 1e-3));
            Thread.Sleep(1);
        }
        // 20 ms publishes within a quarter of 1 s (the first once 100 ms, the expected cost of a first render, fits): at most 12.
        Assert.InRange(feed.Published, 3, 12);
        Assert.True(calls > 3 * feed.Published, $"{calls} calls, {feed.Published} publishes");
        Assert.True(feed.PublishingTime.TotalMilliseconds <= 0.25 * clock.ElapsedMilliseconds + 20);
    }

    [Fact]
    public void Epochs_accumulate_and_the_final_state_is_always_published()
    {
        var seen = new List<TrainingStatus>();
        var feed = new LiveTrainingFeed(Options, "Model", seen.Add, minimumInterval: TimeSpan.Zero);
        Thread.Sleep(30);                                                 // 3 % of 30 ms... not yet the 100 ms a first render is expected to cost
        feed.OnEpochEnd(new EpochMetrics(1, 0.9, 0.8, 0.7, 1, 1e-3));   // held back: over budget
        feed.OnEpochEnd(new EpochMetrics(2, 0.7, 0.6, 0.8, 1, 1e-3));
        feed.Finish(new TrainingHistory("Model", "adam", 128, [new EpochMetrics(1, 0.9, 0.8, 0.7, 1, 1e-3), new EpochMetrics(2, 0.7, 0.6, 0.8, 1, 1e-3)], StoppedEarly: true));
        var final = Assert.Single(seen);
        Assert.Equal(TrainingState.StoppedEarly, final.State);
        Assert.Equal(2, final.History.Epochs.Count);
    }
}
