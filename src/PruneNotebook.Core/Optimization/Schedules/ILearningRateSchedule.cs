namespace PruneNotebook.Core.Optimization.Schedules;

/// <summary>
/// A learning-rate schedule: the rate as a pure function of time and, for metric-driven schedules such as
/// reduce-on-plateau, of a small immutable <see cref="ScheduleState"/>. Being pure, a schedule resumes exactly from a
/// checkpoint that stores the step, the epoch and the state.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>Whether time counts optimizer steps or epochs.</summary>
    ScheduleUnit Unit { get; }

    /// <summary>The learning rate after <paramref name="t"/> completed units (0 for the first step or epoch).</summary>
    /// <param name="t">Completed steps or epochs (see <see cref="Unit"/>), ≥ 0.</param>
    /// <param name="baseRate">The optimizer's initial learning rate.</param>
    /// <param name="state">The metric-driven state; pure time schedules ignore it.</param>
    double RateAt(long t, double baseRate, ScheduleState state);

    /// <summary>Folds one validation metric (observed at the end of an epoch) into the state; time schedules return it unchanged.</summary>
    ScheduleState Observe(ScheduleState state, double metric) => state;

    /// <summary>A short description for reports, e.g. <c>cosine(T=10)</c>.</summary>
    string Describe();
}
