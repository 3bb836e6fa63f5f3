using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Optimization.Schedules;

namespace PruneNotebook.Core.Tests;

/// <summary>
/// Each schedule gives the learning-rate sequence of PyTorch 1.13's own scheduler (tests/reference/pytorch_optim_reference.py):
/// the rate before the first scheduler step and after each step.
/// </summary>
public class LearningRateScheduleParityTests
{
    /// <summary>Closed forms against PyTorch's recursive updates: equal to rounding, relatively and near zero.</summary>
    private static void AssertClose(double expected, double actual, string where) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Abs(expected) + 1e-12, $"{where}: expected {expected:R}, got {actual:R}");

    private static void AssertRatesEqualPyTorch(string caseName, ILearningRateSchedule schedule)
    {
        var reference = OptimReference.Schedule(caseName);
        var baseRate = reference.GetProperty("base").GetDouble();
        var expected = OptimReference.Doubles(reference.GetProperty("rates"));
        for (var t = 0; t < expected.Length; t++)
            AssertClose(expected[t], schedule.RateAt(t, baseRate, ScheduleState.Initial), $"{caseName} at t={t}");
    }

    /// <summary>Through the interface, as the trainer drives it: Observe after each epoch, then RateAt.</summary>
    private static void AssertPlateauEqualsPyTorch(string caseName, ILearningRateSchedule schedule)
    {
        var reference = OptimReference.Schedule(caseName);
        var baseRate = reference.GetProperty("base").GetDouble();
        var expected = OptimReference.Doubles(reference.GetProperty("rates"));
        var metrics = OptimReference.Doubles(reference.GetProperty("metrics"));
        var state = ScheduleState.Initial;
        AssertClose(expected[0], schedule.RateAt(0, baseRate, state), $"{caseName} before any metric");
        for (var epoch = 0; epoch < metrics.Length; epoch++)
        {
            state = schedule.Observe(state, metrics[epoch]);
            AssertClose(expected[epoch + 1], schedule.RateAt(epoch + 1, baseRate, state), $"{caseName} after metric {epoch + 1} ({metrics[epoch]})");
        }
    }

    [Fact]
    public void Step_decay_matches_StepLR() => AssertRatesEqualPyTorch("step", new StepSchedule(3, 0.5));

    [Fact]
    public void Multi_step_decay_matches_MultiStepLR() => AssertRatesEqualPyTorch("multistep", new MultiStepSchedule([2, 5, 9], 0.3));

    [Fact]
    public void Exponential_decay_matches_ExponentialLR() => AssertRatesEqualPyTorch("exponential", new ExponentialSchedule(0.9));

    [Fact]
    public void Cosine_annealing_matches_CosineAnnealingLR_down_to_zero() => AssertRatesEqualPyTorch("cosine", new CosineSchedule(7));

    [Fact]
    public void Cosine_annealing_matches_CosineAnnealingLR_with_a_minimum_and_past_T() =>
        AssertRatesEqualPyTorch("cosine_eta_min_past_t_max", new CosineSchedule(10, 0.001));

    [Fact]
    public void Warm_restarts_match_CosineAnnealingWarmRestarts() =>
        AssertRatesEqualPyTorch("cosine_restarts", new CosineWarmRestartsSchedule(4));

    [Fact]
    public void Warm_restarts_with_growing_cycles_match_CosineAnnealingWarmRestarts() =>
        AssertRatesEqualPyTorch("cosine_restarts_doubling", new CosineWarmRestartsSchedule(3, 2, 0.01));

    [Fact]
    public void Linear_warmup_matches_LinearLR() =>
        AssertRatesEqualPyTorch("linear_warmup", new LinearWarmupSchedule(5, 0.1));

    [Fact]
    public void Warmup_then_cosine_matches_SequentialLR_of_LinearLR_and_CosineAnnealingLR() =>
        AssertRatesEqualPyTorch("warmup_then_cosine", new LinearWarmupSchedule(4, 0.25, new CosineSchedule(16, Unit: ScheduleUnit.Step)));

    [Fact]
    public void One_cycle_matches_OneCycleLR_with_its_defaults() =>
        AssertRatesEqualPyTorch("onecycle", new OneCycleSchedule(0.5, 20));

    [Fact]
    public void One_cycle_matches_OneCycleLR_with_custom_phases_and_factors() =>
        AssertRatesEqualPyTorch("onecycle_custom", new OneCycleSchedule(0.2, 17, PctStart: 0.25, DivFactor: 10, FinalDivFactor: 100));

    [Fact]
    public void Reduce_on_plateau_of_a_loss_matches_ReduceLROnPlateau_in_min_mode() =>
        AssertPlateauEqualsPyTorch("plateau_min", new ReducePlateauSchedule(Factor: 0.5, Patience: 2, Threshold: 1e-4, Cooldown: 1, MinRate: 0.01));

    [Fact]
    public void Reduce_on_plateau_of_an_accuracy_matches_ReduceLROnPlateau_in_max_mode() =>
        AssertPlateauEqualsPyTorch("plateau_max",
            new ReducePlateauSchedule(Factor: 0.2, Patience: 0, Threshold: 0.01, Monitor: MonitoredMetric.ValidationAccuracy));
}
