using PruneNotebook.Core.Data;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// k-fold cross-validation as scikit-learn's <c>KFold</c>: the rows (in order, or permuted by a seeded generator) are cut
/// into k consecutive test blocks, the first n mod k of them one row larger.
/// </summary>
/// <param name="folds">k ≥ 2.</param>
/// <param name="shuffle">Permute the rows before cutting them.</param>
/// <param name="seed">Seeds the permutation: the same seed gives the same folds.</param>
public sealed class KFold(int folds = 5, bool shuffle = false, int seed = 0) : ISplitter
{
    /// <inheritdoc />
    public int Folds { get; } = folds;

    /// <summary>Whether rows are permuted first.</summary>
    public bool Shuffle { get; } = shuffle;

    /// <summary>The permutation seed.</summary>
    public int Seed { get; } = seed;

    /// <inheritdoc />
    public string Describe() => $"{Folds}-fold" + (Shuffle ? $", shuffled (seed {Seed})" : "");

    /// <inheritdoc />
    public IReadOnlyList<Fold> Split(TabularDataset data) => Split((data ?? throw new ArgumentNullException(nameof(data))).Count);

    /// <summary>The folds for <paramref name="rows"/> rows.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 folds, or more folds than rows.</exception>
    public IReadOnlyList<Fold> Split(long rows)
    {
        if (Folds < 2)
            throw new ArgumentException($"Cross-validation needs at least 2 folds, got {Folds}.", nameof(Folds));
        if (Folds > rows)
            throw new ArgumentException($"Cannot split {rows} rows into {Folds} folds: expected at most {rows} folds.", nameof(rows));
        var order = Enumerable.Range(0, checked((int)rows)).Select(i => (long)i).ToArray();
        if (Shuffle)
            new Random(Seed).Shuffle(order);
        var folds = new List<Fold>(Folds);
        var start = 0;
        for (var f = 0; f < Folds; f++)
        {
            var size = (int)(rows / Folds + (f < rows % Folds ? 1 : 0));
            var test = order[start..(start + size)].Order().ToArray();
            var train = order[..start].Concat(order[(start + size)..]).Order().ToArray();
            folds.Add(new Fold(f, train, test));
            start += size;
        }
        return folds;
    }
}
