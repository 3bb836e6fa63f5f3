using PruneNotebook.Core.Data;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Stratified k-fold as scikit-learn 1.2's <c>StratifiedKFold</c>: every test fold holds each class in proportion, within one
/// row per class. Rows of the class sequence sorted by each class's first appearance are dealt to the folds in turn to decide how many of each class each
/// fold gets; then each class's rows, in order (or permuted by a seeded generator), fill fold 0, fold 1, …. Without
/// shuffling the folds equal scikit-learn's.
/// </summary>
/// <param name="folds">k ≥ 2.</param>
/// <param name="shuffle">Permute each class's rows before assigning them.</param>
/// <param name="seed">Seeds the permutation.</param>
public sealed class StratifiedKFold(int folds = 5, bool shuffle = false, int seed = 0) : ISplitter
{
    /// <inheritdoc />
    public int Folds { get; } = folds;

    /// <summary>Whether each class's rows are permuted first.</summary>
    public bool Shuffle { get; } = shuffle;

    /// <summary>The permutation seed.</summary>
    public int Seed { get; } = seed;

    /// <inheritdoc />
    public string Describe() => $"{Folds}-fold stratified" + (Shuffle ? $", shuffled (seed {Seed})" : "");

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The dataset is not a classification dataset, or a class has fewer rows than folds.</exception>
    public IReadOnlyList<Fold> Split(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.IsClassification)
            throw new ArgumentException($"Stratified k-fold needs class targets, but '{data.Name}' is a regression dataset: use KFold.", nameof(data));
        return Split(data.LabelArray(), data.ClassNames);
    }

    /// <summary>The folds for class labels <paramref name="labels"/> (n).</summary>
    /// <exception cref="ArgumentException">Fewer than 2 folds, or a class has fewer rows than folds.</exception>
    public IReadOnlyList<Fold> Split(IReadOnlyList<long> labels, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (Folds < 2)
            throw new ArgumentException($"Cross-validation needs at least 2 folds, got {Folds}.", nameof(Folds));
        // Classes in order of first appearance, as scikit-learn encodes them before dealing.
        var classes = labels.Distinct().ToArray();
        var counts = classes.Select(c => labels.Count(l => l == c)).ToArray();
        for (var c = 0; c < classes.Length; c++)
            if (counts[c] < Folds)
            {
                var name = classNames is not null && classes[c] >= 0 && classes[c] < classNames.Count ? $"'{classNames[(int)classes[c]]}'" : classes[c].ToString();
                throw new ArgumentException($"Class {name} has {counts[c]} rows, fewer than the {Folds} folds: use at most {counts.Min()} folds.", nameof(labels));
            }
        // How many rows of each class each fold tests: deal the sorted class sequence to the folds in turn.
        var sorted = labels.Select(l => Array.IndexOf(classes, l)).Order().ToArray();
        var allocation = new int[Folds, classes.Length];
        for (var i = 0; i < sorted.Length; i++)
            allocation[i % Folds, sorted[i]]++;
        var testFold = new int[labels.Count];
        var random = new Random(Seed);
        for (var c = 0; c < classes.Length; c++)
        {
            var assignment = new List<int>(counts[c]);
            for (var f = 0; f < Folds; f++)
                assignment.AddRange(Enumerable.Repeat(f, allocation[f, c]));
            var perClass = assignment.ToArray();
            if (Shuffle)
                random.Shuffle(perClass);
            var next = 0;
            for (var i = 0; i < labels.Count; i++)
                if (labels[i] == classes[c])
                    testFold[i] = perClass[next++];
        }
        return Enumerable.Range(0, Folds).Select(f => new Fold(f,
            Enumerable.Range(0, labels.Count).Where(i => testFold[i] != f).Select(i => (long)i).ToArray(),
            Enumerable.Range(0, labels.Count).Where(i => testFold[i] == f).Select(i => (long)i).ToArray())).ToList();
    }
}
