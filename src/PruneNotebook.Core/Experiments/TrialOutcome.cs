namespace PruneNotebook.Core.Experiments;

/// <summary>How a trial ended, as its result file records it.</summary>
public enum TrialOutcome
{
    /// <summary>Every step ran; the figures are in the result.</summary>
    Done,

    /// <summary>A step threw, or the process running it died (crash, out of memory, cancelled); the result holds the error and the log's tail.</summary>
    Failed,
}
