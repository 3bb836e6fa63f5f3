namespace PruneNotebook.Core.Optimization.Schedules;

/// <summary>
/// The state of a metric-driven schedule (reduce-on-plateau), immutable so that a checkpoint can store it and a resumed
/// run continues exactly. Time-only schedules keep <see cref="Initial"/>.
/// </summary>
/// <param name="Factor">Multiplier applied to the base rate so far (1 at the start).</param>
/// <param name="Best">Best metric seen, or <c>null</c> before the first observation.</param>
/// <param name="BadEpochs">Consecutive observations without improvement.</param>
/// <param name="Cooldown">Observations left before bad epochs count again.</param>
public sealed record ScheduleState(double Factor, double? Best, int BadEpochs, int Cooldown)
{
    /// <summary>The state before any observation.</summary>
    public static ScheduleState Initial { get; } = new(1, null, 0, 0);
}
