namespace PruneNotebook.Core.Reports;

/// <summary>
/// A training run as it stands: the completed epochs, where the current epoch is, and the plan — what a live learning
/// curve shows while training runs.
/// </summary>
/// <param name="History">The epochs completed so far.</param>
/// <param name="Progress">The epoch in progress, or <c>null</c> between epochs and at the end.</param>
/// <param name="PlannedEpochs">Epochs the run is set to train.</param>
/// <param name="State">Whether the run is going on, finished, stopped early, cancelled or failed.</param>
public sealed record TrainingStatus(TrainingHistory History, TrainingProgress? Progress, int PlannedEpochs, TrainingState State);

/// <summary>The state of a training run shown by <see cref="TrainingStatus"/>.</summary>
public enum TrainingState
{
    /// <summary>Training is going on.</summary>
    Running,

    /// <summary>Every planned epoch ran.</summary>
    Finished,

    /// <summary>Early stopping (or a callback) ended the run before the planned epochs.</summary>
    StoppedEarly,

    /// <summary>The user interrupted the run; the model keeps the last completed step.</summary>
    Cancelled,
}
