namespace PruneNotebook.Core.Pruning;

/// <summary>
/// Sparsity as a function of the training step: when to prune, and to what total sparsity. <see cref="ScheduledPruning.Run"/>
/// takes any implementation: it prunes before training when <see cref="TargetAt"/>(0) has a value and after every
/// optimizer step that has one. A schedule that prunes in rounds with fine-tuning between them also implements
/// <see cref="IPruningRounds"/> (its steps are then rounds).
/// </summary>
public interface IPruningSchedule
{
    /// <summary>Short description shown in charts, e.g. <c>gradual 0→90 % over 10 prunings</c>.</summary>
    string Name { get; }

    /// <summary>The final sparsity the schedule reaches (0..1).</summary>
    double FinalSparsity { get; }

    /// <summary>
    /// The sparsity (0..1) the pruned parameters must have once step <paramref name="step"/> (count of completed
    /// optimizer steps; 0 is before training) is done, or <c>null</c> when the schedule does not prune at that step.
    /// For <see cref="IPruningRounds"/>, the step is the 0-based round.
    /// </summary>
    double? TargetAt(long step);
}
