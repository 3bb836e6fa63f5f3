namespace PruneNotebook.Core.Optimization.Schedules;

/// <summary>
/// Linear warm-up, then another schedule: for t &lt; W the rate climbs linearly from base · startFactor to the base rate
/// (PyTorch's <c>LinearLR</c>); from t = W on, <see cref="Then"/> runs with its clock started at the end of warm-up
/// (it sees t − W), as PyTorch's <c>SequentialLR</c> with milestone W does. Without <see cref="Then"/> the base rate is kept.
/// </summary>
/// <param name="WarmupSteps">W, the length of the warm-up (≥ 1), in <paramref name="Unit"/>s.</param>
/// <param name="StartFactor">Fraction of the base rate at t = 0, in (0, 1].</param>
/// <param name="Then">The schedule after warm-up, on the same clock (or a time-independent one: fixed, reduce-on-plateau), or <c>null</c>.</param>
/// <param name="Unit">Whether t counts optimizer steps (default) or epochs.</param>
/// <exception cref="ArgumentException">W is below 1, the start factor is outside (0, 1], or <paramref name="Then"/> runs on another clock.</exception>
public sealed record LinearWarmupSchedule(long WarmupSteps, double StartFactor = 0.1, ILearningRateSchedule? Then = null, ScheduleUnit Unit = ScheduleUnit.Step)
    : ILearningRateSchedule
{
    /// <summary>W, the length of the warm-up.</summary>
    public long WarmupSteps { get; } = ScheduleArguments.Positive(WarmupSteps, nameof(WarmupSteps), "Warm-up length");

    /// <summary>Fraction of the base rate at t = 0.</summary>
    public double StartFactor { get; } = ScheduleArguments.Decay(StartFactor, nameof(StartFactor), "Warm-up start factor");

    /// <summary>The schedule after warm-up, or <c>null</c> for the base rate.</summary>
    public ILearningRateSchedule? Then { get; } =
        Then is null || Then.Unit == Unit || Then is ConstantSchedule or ReducePlateauSchedule
            ? Then
            : throw new ArgumentException(
                $"The schedule after warm-up must count {ScheduleArguments.Per(Unit)} like the warm-up, got {Then.Describe()} counting {ScheduleArguments.Per(Then.Unit)}.", nameof(Then));

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="t"/> is negative or the base rate is not positive.</exception>
    public double RateAt(long t, double baseRate, ScheduleState state)
    {
        ScheduleArguments.Time(t, baseRate);
        if (t < WarmupSteps)
            return baseRate * (StartFactor + (1 - StartFactor) * t / WarmupSteps);
        return Then?.RateAt(t - WarmupSteps, baseRate, state) ?? baseRate;
    }

    /// <summary>Passes the metric to <see cref="Then"/> (a reduce-on-plateau after warm-up).</summary>
    public ScheduleState Observe(ScheduleState state, double metric) => Then is null ? state : Then.Observe(state, metric);

    /// <inheritdoc />
    public string Describe() =>
        $"warmup({WarmupSteps} {ScheduleArguments.Per(Unit)} from ×{ScheduleArguments.Number(StartFactor)}){(Then is null ? "" : "+" + Then.Describe())}";
}
