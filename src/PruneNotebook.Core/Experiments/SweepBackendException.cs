namespace PruneNotebook.Core.Experiments;

/// <summary>A sweep backend cannot run trials here (no worker program, no <c>sbatch</c>, a cluster that does not answer); the message is one line saying what to do.</summary>
public sealed class SweepBackendException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public SweepBackendException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and cause.</summary>
    public SweepBackendException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
