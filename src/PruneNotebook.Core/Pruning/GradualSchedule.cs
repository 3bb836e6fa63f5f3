namespace PruneNotebook.Core.Pruning;

/// <summary>
/// Gradual pruning (Zhu &amp; Gupta 2017): starting at step t₀ and every Δt steps after, n times, the sparsity is
/// raised to s_t = s_f + (s_i − s_f)(1 − (t − t₀)/(n·Δt))³ — fast at first, slowly near the end.
/// </summary>
/// <param name="initialSparsity">s_i, the sparsity of the first pruning (0..1).</param>
/// <param name="finalSparsity">s_f, reached at t₀ + n·Δt (0..1, ≥ s_i).</param>
/// <param name="startStep">t₀.</param>
/// <param name="frequency">Δt, steps between prunings (≥ 1).</param>
/// <param name="prunings">n, the number of pruning steps after the first (≥ 1).</param>
public sealed class GradualSchedule(double initialSparsity, double finalSparsity, long startStep, long frequency, int prunings) : IPruningSchedule
{
    /// <summary>s_i.</summary>
    public double InitialSparsity { get; } = ScheduleChecks.Sparsity(initialSparsity, nameof(initialSparsity));

    /// <inheritdoc />
    public double FinalSparsity { get; } = finalSparsity >= initialSparsity
        ? ScheduleChecks.Sparsity(finalSparsity, nameof(finalSparsity))
        : throw new ArgumentOutOfRangeException(nameof(finalSparsity), finalSparsity, $"The final sparsity must be at least the initial sparsity {initialSparsity}.");

    /// <summary>t₀.</summary>
    public long StartStep { get; } = startStep >= 0 ? startStep : throw new ArgumentOutOfRangeException(nameof(startStep), startStep, "t0 must be 0 or more.");

    /// <summary>Δt.</summary>
    public long Frequency { get; } = frequency >= 1 ? frequency : throw new ArgumentOutOfRangeException(nameof(frequency), frequency, "Δt must be at least 1 step.");

    /// <summary>n.</summary>
    public int Prunings { get; } = prunings >= 1 ? prunings : throw new ArgumentOutOfRangeException(nameof(prunings), prunings, "n must be at least 1.");

    /// <summary>The last step at which it prunes, t₀ + n·Δt.</summary>
    public long EndStep => StartStep + Prunings * Frequency;

    /// <inheritdoc />
    public string Name => $"gradual {InitialSparsity:P0}→{FinalSparsity:P0} over {Prunings + 1} prunings";

    /// <inheritdoc />
    public double? TargetAt(long step)
    {
        if (step < StartStep || step > EndStep || (step - StartStep) % Frequency != 0)
            return null;
        var progress = (double)(step - StartStep) / (Prunings * Frequency);
        return FinalSparsity + (InitialSparsity - FinalSparsity) * Math.Pow(1 - progress, 3);
    }
}
