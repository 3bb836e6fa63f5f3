namespace PruneNotebook.Core.Pruning;

/// <summary>Sparsity as a function of the training step: when to prune, and to what total sparsity.</summary>
public interface IPruningSchedule
{
    /// <summary>Short description shown in charts, e.g. <c>gradual 0→90 % over 10 prunings</c>.</summary>
    string Name { get; }

    /// <summary>The final sparsity the schedule reaches (0..1).</summary>
    double FinalSparsity { get; }

    /// <summary>
    /// The sparsity (0..1) the pruned parameters must have once step <paramref name="step"/> (0-based count of completed
    /// training steps) is done, or <c>null</c> when the schedule does not prune at that step.
    /// </summary>
    double? TargetAt(long step);
}
