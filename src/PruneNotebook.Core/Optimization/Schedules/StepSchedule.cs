namespace PruneNotebook.Core.Optimization.Schedules;

/// <summary>
/// Step decay (PyTorch's <c>StepLR</c>): the rate is multiplied by <see cref="Gamma"/> every <see cref="StepSize"/>
/// units, lr(t) = base · γ^⌊t / size⌋.
/// </summary>
/// <param name="StepSize">Units between decays (≥ 1).</param>
/// <param name="Gamma">Multiplier applied at each decay, in (0, 1].</param>
/// <param name="Unit">Whether <paramref name="StepSize"/> counts epochs (default) or optimizer steps.</param>
/// <exception cref="ArgumentException">The step size is below 1 or γ is outside (0, 1].</exception>
public sealed record StepSchedule(long StepSize, double Gamma = 0.1, ScheduleUnit Unit = ScheduleUnit.Epoch) : ILearningRateSchedule
{
    /// <summary>Units between decays.</summary>
    public long StepSize { get; } = ScheduleArguments.Positive(StepSize, nameof(StepSize), "Step schedule's step size");

    /// <summary>Multiplier applied at each decay.</summary>
    public double Gamma { get; } = ScheduleArguments.Decay(Gamma, nameof(Gamma), "Step schedule's gamma");

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="t"/> is negative or the base rate is not positive.</exception>
    public double RateAt(long t, double baseRate, ScheduleState state)
    {
        ScheduleArguments.Time(t, baseRate);
        return baseRate * Math.Pow(Gamma, t / StepSize);
    }

    /// <inheritdoc />
    public string Describe() => $"step(every {StepSize} {ScheduleArguments.Per(Unit)}, ×{ScheduleArguments.Number(Gamma)})";
}
