namespace PruneNotebook.Core.Selection;

/// <summary>One train/test split of a cross-validation: row indices, each list ascending.</summary>
/// <param name="Index">The fold's position, 0-based.</param>
/// <param name="Train">Rows to fit on.</param>
/// <param name="Test">Rows to score on (disjoint from <paramref name="Train"/>).</param>
public sealed record Fold(int Index, IReadOnlyList<long> Train, IReadOnlyList<long> Test);
