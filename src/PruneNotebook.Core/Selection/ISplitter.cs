using PruneNotebook.Core.Data;

namespace PruneNotebook.Core.Selection;

/// <summary>A cross-validation scheme: splits a dataset's rows into folds whose test sets partition the rows.</summary>
public interface ISplitter
{
    /// <summary>The number of folds.</summary>
    int Folds { get; }

    /// <summary>A short description (<c>5-fold stratified, shuffled (seed 0)</c>).</summary>
    string Describe();

    /// <summary>The folds for <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data cannot be split this way (fewer rows, or members of a class, than folds).</exception>
    IReadOnlyList<Fold> Split(TabularDataset data);
}
