namespace PruneNotebook.Core.Reports;

/// <summary>Several pruning runs to be compared side by side (e.g. iterative vs gradual).</summary>
/// <param name="Runs">The runs.</param>
public sealed record PruningComparison(IReadOnlyList<PruningHistory> Runs);
