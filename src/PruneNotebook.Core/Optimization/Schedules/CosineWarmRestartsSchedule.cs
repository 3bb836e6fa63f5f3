namespace PruneNotebook.Core.Optimization.Schedules;

/// <summary>
/// Cosine annealing with warm restarts (SGDR, Loshchilov &amp; Hutter 2017; PyTorch's
/// <c>CosineAnnealingWarmRestarts</c> stepped once per unit): the rate anneals from the base rate towards η_min over a
/// cycle of T_i units, then jumps back to the base rate; the first cycle lasts T₀ and each next one T_mult times longer.
/// Within a cycle, lr = η_min + (base − η_min)(1 + cos(π·T_cur/T_i))/2.
/// </summary>
/// <param name="T0">Length of the first cycle (≥ 1).</param>
/// <param name="TMult">Growth factor of the cycle length (≥ 1; 1 keeps every cycle T₀ long).</param>
/// <param name="EtaMin">η_min, the lowest rate (≥ 0).</param>
/// <param name="Unit">Whether t counts epochs (default) or optimizer steps.</param>
/// <exception cref="ArgumentException">T₀ or T_mult is below 1, or η_min is negative.</exception>
public sealed record CosineWarmRestartsSchedule(long T0, long TMult = 1, double EtaMin = 0, ScheduleUnit Unit = ScheduleUnit.Epoch) : ILearningRateSchedule
{
    /// <summary>Length of the first cycle.</summary>
    public long T0 { get; } = ScheduleArguments.Positive(T0, nameof(T0), "Warm-restarts schedule's first cycle length T0");

    /// <summary>Growth factor of the cycle length.</summary>
    public long TMult { get; } = ScheduleArguments.Positive(TMult, nameof(TMult), "Warm-restarts schedule's cycle growth factor T_mult");

    /// <summary>η_min, the lowest rate.</summary>
    public double EtaMin { get; } = ScheduleArguments.NonNegative(EtaMin, nameof(EtaMin), "Warm-restarts schedule's minimum rate");

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="t"/> is negative or the base rate is not positive.</exception>
    public double RateAt(long t, double baseRate, ScheduleState state)
    {
        ScheduleArguments.Time(t, baseRate);
        var (position, length) = Cycle(t);
        return ScheduleArguments.Cosine(baseRate, EtaMin, (double)position / length);
    }

    /// <summary>The position of <paramref name="t"/> within its cycle, and that cycle's length.</summary>
    public (long Position, long Length) Cycle(long t)
    {
        if (TMult == 1)
            return (t % T0, T0);
        // Cycles grow geometrically, so this loop runs O(log t) times.
        long position = t, length = T0;
        while (position >= length)
        {
            position -= length;
            length = checked(length * TMult);
        }
        return (position, length);
    }

    /// <inheritdoc />
    public string Describe() =>
        $"cosine-restarts(T0={T0} {ScheduleArguments.Per(Unit)}, ×{TMult}{(EtaMin == 0 ? "" : $", min {ScheduleArguments.Number(EtaMin)}")})";
}
