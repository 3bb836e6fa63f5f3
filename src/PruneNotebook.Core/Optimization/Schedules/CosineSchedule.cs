namespace PruneNotebook.Core.Optimization.Schedules;

/// <summary>
/// Cosine annealing (PyTorch's <c>CosineAnnealingLR</c>, closed form): lr(t) = η_min + (base − η_min)(1 + cos(πt/T))/2,
/// from the base rate at t = 0 down to η_min at t = T. Like PyTorch's, the curve is not clamped after T: it rises
/// again with period 2T, so choose T ≥ the length of the run (<see cref="LearningRateSchedules.Parse"/> uses the run's
/// length).
/// </summary>
/// <param name="TMax">T, the units from the base rate to η_min (≥ 1).</param>
/// <param name="EtaMin">η_min, the lowest rate (≥ 0).</param>
/// <param name="Unit">Whether t counts epochs (default) or optimizer steps.</param>
/// <exception cref="ArgumentException">T is below 1 or η_min is negative.</exception>
public sealed record CosineSchedule(long TMax, double EtaMin = 0, ScheduleUnit Unit = ScheduleUnit.Epoch) : ILearningRateSchedule
{
    /// <summary>T, the half period.</summary>
    public long TMax { get; } = ScheduleArguments.Positive(TMax, nameof(TMax), "Cosine schedule's T");

    /// <summary>η_min, the lowest rate.</summary>
    public double EtaMin { get; } = ScheduleArguments.NonNegative(EtaMin, nameof(EtaMin), "Cosine schedule's minimum rate");

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="t"/> is negative or the base rate is not positive.</exception>
    public double RateAt(long t, double baseRate, ScheduleState state)
    {
        ScheduleArguments.Time(t, baseRate);
        return ScheduleArguments.Cosine(baseRate, EtaMin, (double)t / TMax);
    }

    /// <inheritdoc />
    public string Describe() => EtaMin == 0
        ? $"cosine(T={TMax} {ScheduleArguments.Per(Unit)})"
        : $"cosine(T={TMax} {ScheduleArguments.Per(Unit)}, min {ScheduleArguments.Number(EtaMin)})";
}
