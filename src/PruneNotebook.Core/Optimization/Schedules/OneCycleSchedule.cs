namespace PruneNotebook.Core.Optimization.Schedules;

/// <summary>
/// The one-cycle policy (Smith &amp; Topin 2018; PyTorch's <c>OneCycleLR</c> with cosine annealing, two phases): over the
/// first <see cref="PctStart"/> of <see cref="TotalSteps"/> optimizer steps the rate rises from max/divFactor to the
/// maximum, then anneals to max/(divFactor · finalDivFactor), both along a cosine. Only the learning rate is cycled:
/// unlike PyTorch's default (<c>cycle_momentum=True</c>) the momentum or Adam's β₁ is left as the optimizer was
/// created. The schedule ignores the optimizer's base rate unless <see cref="MaxRate"/> is <c>null</c>, in which case
/// the base rate is the maximum. Past <see cref="TotalSteps"/> the rate stays at its value for t = TotalSteps
/// (PyTorch throws there).
/// </summary>
/// <param name="MaxRate">The peak rate, or <c>null</c> to peak at the optimizer's base rate.</param>
/// <param name="TotalSteps">Length of the cycle in optimizer steps (the run's epochs × batches per epoch).</param>
/// <param name="PctStart">Fraction of the cycle spent rising, in (0, 1); the rising phase must last more than one step.</param>
/// <param name="DivFactor">The starting rate is max / divFactor (&gt; 0).</param>
/// <param name="FinalDivFactor">The final rate is the starting rate / finalDivFactor (&gt; 0).</param>
/// <exception cref="ArgumentException">An argument is out of range (the message says which and what is expected).</exception>
public sealed record OneCycleSchedule(double? MaxRate, long TotalSteps, double PctStart = 0.3, double DivFactor = 25, double FinalDivFactor = 1e4)
    : ILearningRateSchedule
{
    /// <summary>The peak rate, or <c>null</c> for the optimizer's base rate.</summary>
    public double? MaxRate { get; } = MaxRate is { } max ? ScheduleArguments.PositiveRate(max, nameof(MaxRate), "One-cycle maximum rate") : null;

    /// <summary>Length of the cycle in optimizer steps.</summary>
    public long TotalSteps { get; } = ScheduleArguments.Positive(TotalSteps, nameof(TotalSteps), "One-cycle total steps");

    /// <summary>Fraction of the cycle spent rising.</summary>
    public double PctStart { get; } = PctStart > 0 && PctStart < 1 && PctStart * TotalSteps > 1
        ? PctStart
        : throw new ArgumentException(
            $"One-cycle pctStart must be in (0, 1) and leave more than one rising step (pctStart × totalSteps > 1), got {PctStart} of {TotalSteps} steps.", nameof(PctStart));

    /// <summary>max / starting rate.</summary>
    public double DivFactor { get; } = ScheduleArguments.PositiveRate(DivFactor, nameof(DivFactor), "One-cycle divFactor");

    /// <summary>Starting rate / final rate.</summary>
    public double FinalDivFactor { get; } = ScheduleArguments.PositiveRate(FinalDivFactor, nameof(FinalDivFactor), "One-cycle finalDivFactor");

    /// <summary>Always <see cref="ScheduleUnit.Step"/>.</summary>
    public ScheduleUnit Unit => ScheduleUnit.Step;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="t"/> is negative or the base rate is not positive.</exception>
    public double RateAt(long t, double baseRate, ScheduleState state)
    {
        ScheduleArguments.Time(t, baseRate);
        var max = MaxRate ?? baseRate;
        var initial = max / DivFactor;
        var final = initial / FinalDivFactor;
        double step = Math.Min(t, TotalSteps);
        // PyTorch's phase boundaries: the peak is reached at step pct·total − 1, the end at step total − 1.
        var peak = PctStart * TotalSteps - 1;
        var end = TotalSteps - 1.0;
        return step <= peak
            ? ScheduleArguments.Cosine(initial, max, step / peak)
            : ScheduleArguments.Cosine(max, final, (step - peak) / (end - peak));
    }

    /// <inheritdoc />
    public string Describe() =>
        $"onecycle(max {(MaxRate is { } m ? ScheduleArguments.Number(m) : "base rate")}, {TotalSteps} steps, rise {ScheduleArguments.Number(PctStart)})";
}
