namespace PruneNotebook.Core.Optimization.Schedules;

/// <summary>
/// Reduce on plateau (PyTorch's <c>ReduceLROnPlateau</c>, relative threshold mode): the "dynamic" rate. After each
/// epoch the trainer passes the monitored validation metric to <see cref="Observe"/>; when it has not improved by more
/// than the relative <see cref="Threshold"/> for more than <see cref="Patience"/> observations, the rate is multiplied by
/// <see cref="Factor"/> (never below <see cref="MinRate"/>) and the next <see cref="Cooldown"/> observations do not
/// count. The rate is base · <see cref="ScheduleState.Factor"/>, clamped to [MinRate, base]; it does not depend on t.
/// One difference from PyTorch: PyTorch skips a reduction that would change the rate by less than 1e-8; here it is
/// applied (this only matters for rates around 1e-8).
/// </summary>
/// <param name="Factor">Multiplier applied at each reduction, in (0, 1).</param>
/// <param name="Patience">Observations without improvement tolerated before reducing (≥ 0).</param>
/// <param name="Threshold">Relative improvement needed: a loss must fall below best·(1 − threshold), an accuracy rise above best·(1 + threshold) (≥ 0).</param>
/// <param name="Cooldown">Observations after a reduction during which bad epochs are not counted (≥ 0).</param>
/// <param name="MinRate">Lowest rate (≥ 0).</param>
/// <param name="Monitor">The metric the trainer feeds: validation loss (PyTorch's mode "min") or accuracy (mode "max").</param>
/// <exception cref="ArgumentException">An argument is out of range (the message says which and what is expected).</exception>
public sealed record ReducePlateauSchedule(
    double Factor = 0.1, int Patience = 10, double Threshold = 1e-4, int Cooldown = 0, double MinRate = 0,
    MonitoredMetric Monitor = MonitoredMetric.ValidationLoss) : ILearningRateSchedule
{
    /// <summary>Multiplier applied at each reduction.</summary>
    public double Factor { get; } = Factor > 0 && Factor < 1
        ? Factor
        : throw new ArgumentException($"Reduce-on-plateau factor must be in (0, 1), got {Factor}.", nameof(Factor));

    /// <summary>Observations without improvement tolerated before reducing.</summary>
    public int Patience { get; } = Patience >= 0
        ? Patience
        : throw new ArgumentException($"Reduce-on-plateau patience must be 0 or more epochs, got {Patience}.", nameof(Patience));

    /// <summary>Relative improvement needed.</summary>
    public double Threshold { get; } = ScheduleArguments.NonNegative(Threshold, nameof(Threshold), "Reduce-on-plateau threshold");

    /// <summary>Observations after a reduction during which bad epochs are not counted.</summary>
    public int Cooldown { get; } = Cooldown >= 0
        ? Cooldown
        : throw new ArgumentException($"Reduce-on-plateau cooldown must be 0 or more epochs, got {Cooldown}.", nameof(Cooldown));

    /// <summary>Lowest rate.</summary>
    public double MinRate { get; } = ScheduleArguments.NonNegative(MinRate, nameof(MinRate), "Reduce-on-plateau minimum rate");

    /// <summary>Always <see cref="ScheduleUnit.Epoch"/>: metrics are observed once per epoch.</summary>
    public ScheduleUnit Unit => ScheduleUnit.Epoch;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="t"/> is negative or the base rate is not positive.</exception>
    public double RateAt(long t, double baseRate, ScheduleState state)
    {
        ScheduleArguments.Time(t, baseRate);
        ArgumentNullException.ThrowIfNull(state);
        // PyTorch: lr = max(lr · factor, min_lr), applied only when it lowers the rate.
        return Math.Min(baseRate, Math.Max(baseRate * state.Factor, MinRate));
    }

    /// <summary>Folds one end-of-epoch metric into the state, exactly as one <c>ReduceLROnPlateau.step(metric)</c>.</summary>
    /// <param name="state">The state so far (<see cref="ScheduleState.Initial"/> before the first epoch).</param>
    /// <param name="metric">The monitored validation metric; NaN never counts as an improvement.</param>
    /// <returns>The next state.</returns>
    public ScheduleState Observe(ScheduleState state, double metric)
    {
        ArgumentNullException.ThrowIfNull(state);
        var better = state.Best is not { } best
            ? !double.IsNaN(metric)
            : Monitor == MonitoredMetric.ValidationLoss
                ? metric < best * (1 - Threshold)
                : metric > best * (1 + Threshold);
        var bestSoFar = better ? metric : state.Best;
        var badEpochs = better ? 0 : state.BadEpochs + 1;
        var cooldown = state.Cooldown;
        if (cooldown > 0)
        {
            cooldown--;
            badEpochs = 0;
        }
        var factor = state.Factor;
        if (badEpochs > Patience)
        {
            factor *= Factor;
            cooldown = Cooldown;
            badEpochs = 0;
        }
        return new ScheduleState(factor, bestSoFar, badEpochs, cooldown);
    }

    /// <inheritdoc />
    public string Describe() =>
        $"plateau(×{ScheduleArguments.Number(Factor)} after {Patience} epochs without {(Monitor == MonitoredMetric.ValidationLoss ? "lower validation loss" : "higher validation accuracy")}" +
        $"{(Cooldown > 0 ? $", cooldown {Cooldown}" : "")}{(MinRate > 0 ? $", min {ScheduleArguments.Number(MinRate)}" : "")})";
}
