namespace PruneNotebook.Core.Pruning;

/// <summary>Prunes once, to <see cref="FinalSparsity"/>, at step <see cref="Step"/> (default: before training).</summary>
/// <param name="finalSparsity">Target sparsity (0..1).</param>
/// <param name="step">The step after which to prune; 0 prunes before the first training step.</param>
public sealed class OneShotSchedule(double finalSparsity, long step = 0) : IPruningSchedule
{
    /// <inheritdoc />
    public double FinalSparsity { get; } = ScheduleChecks.Sparsity(finalSparsity, nameof(finalSparsity));

    /// <summary>The step at which it prunes.</summary>
    public long Step { get; } = step >= 0 ? step : throw new ArgumentOutOfRangeException(nameof(step), step, "The step must be 0 or more.");

    /// <inheritdoc />
    public string Name => $"one-shot {FinalSparsity:P0}";

    /// <inheritdoc />
    public double? TargetAt(long step) => step == Step ? FinalSparsity : null;
}
