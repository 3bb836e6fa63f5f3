namespace PruneNotebook.Core.Optimization.Schedules;

/// <summary>
/// Decay at given milestones (PyTorch's <c>MultiStepLR</c>): lr(t) = base · γ^k where k is the number of milestones
/// ≤ t.
/// </summary>
public sealed record MultiStepSchedule : ILearningRateSchedule
{
    private readonly long[] milestones;

    /// <summary>Creates the schedule.</summary>
    /// <param name="milestones">Times at which the rate is multiplied by γ: strictly increasing, each ≥ 1.</param>
    /// <param name="gamma">Multiplier applied at each milestone, in (0, 1].</param>
    /// <param name="unit">Whether milestones count epochs (default) or optimizer steps.</param>
    /// <exception cref="ArgumentException">No milestones, a milestone below 1, milestones not strictly increasing, or γ outside (0, 1].</exception>
    public MultiStepSchedule(IEnumerable<long> milestones, double gamma = 0.1, ScheduleUnit unit = ScheduleUnit.Epoch)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        this.milestones = milestones.ToArray();
        if (this.milestones.Length == 0)
            throw new ArgumentException("Multi-step schedule needs at least one milestone.", nameof(milestones));
        for (var i = 0; i < this.milestones.Length; i++)
        {
            if (this.milestones[i] < 1 || (i > 0 && this.milestones[i] <= this.milestones[i - 1]))
                throw new ArgumentException(
                    $"Multi-step schedule's milestones must be strictly increasing and at least 1, got [{string.Join(", ", this.milestones)}].", nameof(milestones));
        }
        Gamma = ScheduleArguments.Decay(gamma, nameof(gamma), "Multi-step schedule's gamma");
        Unit = unit;
    }

    /// <summary>Times at which the rate decays, strictly increasing.</summary>
    public IReadOnlyList<long> Milestones => milestones;

    /// <summary>Multiplier applied at each milestone.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public ScheduleUnit Unit { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="t"/> is negative or the base rate is not positive.</exception>
    public double RateAt(long t, double baseRate, ScheduleState state)
    {
        ScheduleArguments.Time(t, baseRate);
        var passed = milestones.Count(m => m <= t);
        return baseRate * Math.Pow(Gamma, passed);
    }

    /// <inheritdoc />
    public string Describe() =>
        $"multistep(at {string.Join(";", milestones)} {ScheduleArguments.Per(Unit)}, ×{ScheduleArguments.Number(Gamma)})";

    /// <summary>Equal when the milestones, γ and unit are equal.</summary>
    public bool Equals(MultiStepSchedule? other) =>
        other is not null && milestones.SequenceEqual(other.milestones) && Gamma == other.Gamma && Unit == other.Unit;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(milestones.Length, milestones[0], Gamma, Unit);
}
