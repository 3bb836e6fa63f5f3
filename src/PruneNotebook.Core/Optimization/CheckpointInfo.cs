using PruneNotebook.Core.Reports;

namespace PruneNotebook.Core.Optimization;

/// <summary>What a training checkpoint says about its run.</summary>
/// <param name="Model">The model's type name.</param>
/// <param name="Optimizer">The optimizer's name.</param>
/// <param name="EpochsCompleted">Epochs finished when it was written.</param>
/// <param name="Steps">Optimizer steps taken when it was written.</param>
/// <param name="History">The history up to that point.</param>
public sealed record CheckpointInfo(string Model, string Optimizer, int EpochsCompleted, long Steps, TrainingHistory History);
