using PruneNotebook.Core.Pruning;

namespace PruneNotebook.Core.Tests;

public class PruningScheduleTests
{
    [Fact]
    public void Gradual_follows_zhu_and_gupta_cubic_at_every_delta_t()
    {
        var schedule = new GradualSchedule(initialSparsity: 0, finalSparsity: 0.9, startStep: 100, frequency: 50, prunings: 4);
        // s_t = 0.9 + (0 - 0.9)(1 - (t - 100)/200)^3
        Assert.Equal(0.0, schedule.TargetAt(100)!.Value, 12);
        Assert.Equal(0.9 - 0.9 * Math.Pow(0.75, 3), schedule.TargetAt(150)!.Value, 12);
        Assert.Equal(0.9 - 0.9 * Math.Pow(0.5, 3), schedule.TargetAt(200)!.Value, 12);
        Assert.Equal(0.9 - 0.9 * Math.Pow(0.25, 3), schedule.TargetAt(250)!.Value, 12);
        Assert.Equal(0.9, schedule.TargetAt(300)!.Value, 12);
        Assert.Null(schedule.TargetAt(99));
        Assert.Null(schedule.TargetAt(125));
        Assert.Null(schedule.TargetAt(350));
        Assert.Equal(300, schedule.EndStep);
    }

    [Fact]
    public void Iterative_prunes_the_same_fraction_of_what_remains_each_round()
    {
        var schedule = new IterativeSchedule(finalSparsity: 0.9, rounds: 3);
        var kept = Enumerable.Range(0, 3).Select(r => 1 - schedule.TargetAt(r)!.Value).ToArray();
        Assert.Equal(Math.Pow(0.1, 1.0 / 3), kept[0], 12);
        Assert.Equal(kept[0] * kept[0], kept[1], 12);
        Assert.Equal(0.1, kept[2], 12);
        Assert.Null(schedule.TargetAt(3));
    }

    [Fact]
    public void One_shot_prunes_once_at_its_step()
    {
        var schedule = new OneShotSchedule(0.8, step: 5);
        Assert.Equal(0.8, schedule.TargetAt(5));
        Assert.Null(schedule.TargetAt(0));
    }

    [Fact]
    public void Schedules_reject_impossible_settings()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradualSchedule(0.5, 0.4, 0, 10, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradualSchedule(0, 0.9, 0, 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IterativeSchedule(1.0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneShotSchedule(-0.1));
    }
}
