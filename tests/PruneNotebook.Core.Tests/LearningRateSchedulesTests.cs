using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Optimization.Schedules;

namespace PruneNotebook.Core.Tests;

/// <summary>Parsing <c>#!train --schedule</c> texts, and the schedules' own argument checks.</summary>
public class LearningRateSchedulesTests
{
    private static ILearningRateSchedule Parse(string spec) => LearningRateSchedules.Parse(spec, epochs: 10, stepsPerEpoch: 100);

    [Fact]
    public void Each_documented_example_parses_to_the_schedule_it_names()
    {
        Assert.Equal(new ConstantSchedule(), Parse("fixed"));
        Assert.Equal(new CosineSchedule(10), Parse("cosine"));
        Assert.Equal(new CosineSchedule(4, 0.001), Parse("cosine(4, 1e-3)"));
        Assert.Equal(new StepSchedule(10, 0.1), Parse("step(10,0.1)"));
        Assert.Equal(new StepSchedule(3), Parse("Step( 3 )"));
        Assert.Equal(new MultiStepSchedule([5, 8], 0.1), Parse("multistep(5;8,0.1)"));
        Assert.Equal(new ExponentialSchedule(0.9), Parse("exponential(0.9)"));
        Assert.Equal(new CosineWarmRestartsSchedule(5, 2), Parse("cosine-restarts(5,2)"));
        Assert.Equal(new OneCycleSchedule(0.01, 1000), Parse("onecycle(0.01)"));
        Assert.Equal(new OneCycleSchedule(null, 1000), Parse("onecycle"));
        Assert.Equal(new ReducePlateauSchedule(0.5, 2), Parse("plateau(0.5,2)"));
        Assert.Equal(new ReducePlateauSchedule(0.5, 0, Threshold: 0.01, Cooldown: 1, MinRate: 1e-5), Parse("plateau(0.5,0,1,1e-5,0.01)"));
    }

    [Fact]
    public void A_warmup_followed_by_cosine_anneals_over_the_remaining_optimizer_steps()
    {
        var schedule = Assert.IsType<LinearWarmupSchedule>(Parse("warmup(500)+cosine"));
        Assert.Equal(ScheduleUnit.Step, schedule.Unit);
        Assert.Equal(500, schedule.WarmupSteps);
        Assert.Equal(new CosineSchedule(500, 0, ScheduleUnit.Step), schedule.Then);
        Assert.Equal(0.1 * 0.1, schedule.RateAt(0, 0.1, ScheduleState.Initial), 12);
        Assert.Equal(0.1, schedule.RateAt(500, 0.1, ScheduleState.Initial), 12);
        Assert.Equal(0.05, schedule.RateAt(750, 0.1, ScheduleState.Initial), 12);
        Assert.Equal(0, schedule.RateAt(1000, 0.1, ScheduleState.Initial), 12);
    }

    [Fact]
    public void A_warmup_can_hand_over_to_reduce_on_plateau_which_sees_the_metrics()
    {
        var schedule = Assert.IsType<LinearWarmupSchedule>(Parse("warmup(100,0.5)+plateau(0.5,0)"));
        var state = schedule.Observe(schedule.Observe(ScheduleState.Initial, 1.0), 2.0);
        Assert.Equal(0.5, state.Factor);
        Assert.Equal(0.05, schedule.RateAt(0, 0.1, state), 12);
        Assert.Equal(0.05, schedule.RateAt(400, 0.1, state), 12);
    }

    [Theory]
    [InlineData("linear", "Unknown learning-rate schedule 'linear'")]
    [InlineData("step", "'step' needs its size argument")]
    [InlineData("step(0)", "must be a whole number ≥ 1, got '0'")]
    [InlineData("step(10,abc)", "'step' argument gamma must be a number, got 'abc'")]
    [InlineData("step(10,0.1,3)", "'step' takes at most 2 arguments, got 3")]
    [InlineData("step(10,2)", "Step schedule's gamma must be in (0, 1], got 2")]
    [InlineData("multistep(8;5)", "strictly increasing")]
    [InlineData("cosine(10", "Malformed learning-rate schedule 'cosine(10'")]
    [InlineData("cosine+warmup(5)", "Only a warm-up can be followed by '+schedule'")]
    [InlineData("warmup(5)+onecycle", "has its own warm-up")]
    [InlineData("warmup(1000)+cosine", "leaves nothing of a run of 1000 steps")]
    [InlineData("onecycle(0.1,1.5)", "pctStart must be in (0, 1)")]
    [InlineData("plateau(1.5)", "factor must be in (0, 1), got 1.5")]
    [InlineData(" ", "The learning-rate schedule is empty")]
    public void A_bad_schedule_text_fails_with_a_message_saying_what_was_expected(string spec, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Parse(spec));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void An_unknown_name_lists_every_known_form()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse("triangular"));
        foreach (var name in LearningRateSchedules.Names)
            Assert.Contains(name, error.Message);
    }

    [Fact]
    public void Constructors_reject_out_of_range_arguments()
    {
        Assert.Throws<ArgumentException>(() => new StepSchedule(0));
        Assert.Throws<ArgumentException>(() => new ExponentialSchedule(0));
        Assert.Throws<ArgumentException>(() => new MultiStepSchedule([]));
        Assert.Throws<ArgumentException>(() => new MultiStepSchedule([0, 3]));
        Assert.Throws<ArgumentException>(() => new CosineSchedule(5, -0.1));
        Assert.Throws<ArgumentException>(() => new CosineWarmRestartsSchedule(3, 0));
        Assert.Throws<ArgumentException>(() => new LinearWarmupSchedule(10, 0));
        Assert.Throws<ArgumentException>(() => new LinearWarmupSchedule(10, 0.1, new CosineSchedule(5)));
        Assert.Throws<ArgumentException>(() => new OneCycleSchedule(-1, 100));
        Assert.Throws<ArgumentException>(() => new OneCycleSchedule(0.1, 3));
        Assert.Throws<ArgumentException>(() => new ReducePlateauSchedule(Patience: -1));
        Assert.Throws<ArgumentException>(() => new ReducePlateauSchedule(MinRate: double.NaN));
        var error = Assert.Throws<ArgumentException>(() => new StepSchedule(5).RateAt(-1, 0.1, ScheduleState.Initial));
        Assert.Contains("got -1", error.Message);
        Assert.Throws<ArgumentException>(() => new StepSchedule(5).RateAt(0, 0, ScheduleState.Initial));
    }

    [Fact]
    public void Only_plateau_schedules_ask_for_a_metric_also_behind_a_warmup()
    {
        Assert.Equal(MonitoredMetric.ValidationLoss, LearningRateSchedules.MonitorOf(Parse("plateau")));
        Assert.Equal(MonitoredMetric.ValidationLoss, LearningRateSchedules.MonitorOf(Parse("warmup(10)+plateau(0.5,1)")));
        Assert.Equal(MonitoredMetric.ValidationAccuracy, LearningRateSchedules.MonitorOf(new ReducePlateauSchedule(Monitor: MonitoredMetric.ValidationAccuracy)));
        Assert.Null(LearningRateSchedules.MonitorOf(Parse("warmup(10)+cosine")));
        Assert.Null(LearningRateSchedules.MonitorOf(Parse("onecycle")));
        Assert.Null(LearningRateSchedules.MonitorOf(null));
    }

    [Fact]
    public void Time_schedules_ignore_metrics_and_plateau_ignores_time()
    {
        var state = new ScheduleState(0.25, 1.0, 0, 0);
        ILearningRateSchedule cosine = new CosineSchedule(10);
        Assert.Same(state, cosine.Observe(state, 3.0));
        var plateau = new ReducePlateauSchedule();
        Assert.Equal(plateau.RateAt(0, 0.1, state), plateau.RateAt(1_000, 0.1, state));
        Assert.Equal(0.025, plateau.RateAt(0, 0.1, state), 12);
    }

    [Fact]
    public void Reduce_on_plateau_never_raises_a_base_rate_that_is_already_below_its_minimum()
    {
        var plateau = new ReducePlateauSchedule(0.5, 0, MinRate: 0.01);
        var state = plateau.Observe(plateau.Observe(ScheduleState.Initial, 1), 1);
        Assert.Equal(0.001, plateau.RateAt(1, 0.001, state), 12);
        Assert.Equal(0.01, plateau.RateAt(1, 0.0150, state), 12);
    }

    [Fact]
    public void One_cycle_holds_its_last_rate_after_the_cycle_and_peaks_at_the_base_rate_without_a_maximum()
    {
        var schedule = new OneCycleSchedule(null, 100);
        Assert.Equal(0.4 / 25, schedule.RateAt(0, 0.4, ScheduleState.Initial), 12);
        Assert.Equal(0.4, schedule.RateAt(29, 0.4, ScheduleState.Initial), 12);
        Assert.Equal(schedule.RateAt(100, 0.4, ScheduleState.Initial), schedule.RateAt(5_000, 0.4, ScheduleState.Initial));
    }

    [Fact]
    public void Descriptions_name_the_schedule_and_its_arguments()
    {
        Assert.Equal("fixed", new ConstantSchedule().Describe());
        Assert.Equal("step(every 3 epochs, ×0.5)", new StepSchedule(3, 0.5).Describe());
        Assert.Equal("cosine(T=10 epochs)", new CosineSchedule(10).Describe());
        Assert.Equal("warmup(500 steps from ×0.1)+cosine(T=500 steps)", Parse("warmup(500)+cosine").Describe());
        Assert.Equal("multistep(at 5;8 epochs, ×0.1)", Parse("multistep(5;8)").Describe());
    }
}
