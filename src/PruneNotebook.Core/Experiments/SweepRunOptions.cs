namespace PruneNotebook.Core.Experiments;

/// <summary>How <see cref="SweepRunner"/> runs a sweep.</summary>
/// <param name="Retries">Extra attempts for a trial that failed (0: none).</param>
/// <param name="Trials">Only these trial indices (default: all); trials with a successful result are skipped either way.</param>
public sealed record SweepRunOptions(int Retries = 1, IReadOnlyList<int>? Trials = null)
{
    /// <summary>Throws on the first option out of range.</summary>
    /// <exception cref="ArgumentException">Negative retries.</exception>
    public void Validate()
    {
        if (Retries < 0)
            throw new ArgumentException($"Retries must be 0 or more, got {Retries}.", nameof(Retries));
    }
}
