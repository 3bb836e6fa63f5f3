namespace PruneNotebook.Core.Optimization.Schedules;

/// <summary>Exponential decay (PyTorch's <c>ExponentialLR</c>): lr(t) = base · γ^t.</summary>
/// <param name="Gamma">Multiplier per unit, in (0, 1].</param>
/// <param name="Unit">Whether t counts epochs (default) or optimizer steps.</param>
/// <exception cref="ArgumentException">γ is outside (0, 1].</exception>
public sealed record ExponentialSchedule(double Gamma, ScheduleUnit Unit = ScheduleUnit.Epoch) : ILearningRateSchedule
{
    /// <summary>Multiplier per unit.</summary>
    public double Gamma { get; } = ScheduleArguments.Decay(Gamma, nameof(Gamma), "Exponential schedule's gamma");

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="t"/> is negative or the base rate is not positive.</exception>
    public double RateAt(long t, double baseRate, ScheduleState state)
    {
        ScheduleArguments.Time(t, baseRate);
        return baseRate * Math.Pow(Gamma, t);
    }

    /// <inheritdoc />
    public string Describe() => $"exponential(×{ScheduleArguments.Number(Gamma)} per {ScheduleArguments.Per(Unit)[..^1]})";
}
