namespace PruneNotebook.Core.Optimization.Schedules;

/// <summary>A fixed learning rate: the base rate at every step and epoch.</summary>
public sealed record ConstantSchedule : ILearningRateSchedule
{
    /// <inheritdoc />
    public ScheduleUnit Unit => ScheduleUnit.Epoch;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="t"/> is negative or the base rate is not positive.</exception>
    public double RateAt(long t, double baseRate, ScheduleState state)
    {
        ScheduleArguments.Time(t, baseRate);
        return baseRate;
    }

    /// <inheritdoc />
    public string Describe() => "fixed";
}
