namespace PruneNotebook.Core.Experiments;

/// <summary>Where a trial stands while a sweep runs.</summary>
public enum TrialState
{
    /// <summary>No result yet and not running.</summary>
    Queued,

    /// <summary>A worker (process or Slurm task) is running it.</summary>
    Running,

    /// <summary>It has a result with every figure.</summary>
    Done,

    /// <summary>Its last attempt failed.</summary>
    Failed,
}
