namespace PruneNotebook.Core.Optimization.Schedules;

/// <summary>The clock a learning-rate schedule runs on.</summary>
public enum ScheduleUnit
{
    /// <summary>Time is the number of completed epochs: the rate changes between epochs (PyTorch's usual <c>scheduler.step()</c> per epoch).</summary>
    Epoch,

    /// <summary>Time is the number of completed optimizer steps: the rate changes between batches (warm-up, one-cycle).</summary>
    Step,
}
