namespace PruneNotebook.Core.Reports;

/// <summary>A pruning run under one schedule: sparsity and accuracy stage by stage.</summary>
/// <param name="Schedule">The schedule's name.</param>
/// <param name="ModelName">The model's type name.</param>
/// <param name="DenseAccuracy">Accuracy before any pruning of this run.</param>
/// <param name="Stages">Stages in order.</param>
public sealed record PruningHistory(string Schedule, string ModelName, double DenseAccuracy, IReadOnlyList<PruningStage> Stages)
{
    /// <summary>The last stage (the result of the run).</summary>
    public PruningStage? Final => Stages.Count == 0 ? null : Stages[^1];

    /// <summary>Total wall time of the run.</summary>
    public double TotalSeconds => Stages.Sum(s => s.Seconds);
}
