using PruneNotebook.Core.Data;
using PruneNotebook.Core.Selection;
using static PruneNotebook.Core.Tests.SklearnReference;

namespace PruneNotebook.Core.Tests;

public class CrossValidationSplitTests
{
    private static void AssertPartition(IReadOnlyList<Fold> folds, long rows)
    {
        Assert.Equal(Enumerable.Range(0, (int)rows).Select(i => (long)i), folds.SelectMany(f => f.Test).Order());
        foreach (var fold in folds)
        {
            Assert.Empty(fold.Train.Intersect(fold.Test));
            Assert.Equal(rows, fold.Train.Count + fold.Test.Count);
        }
    }

    [Theory]
    [InlineData(10, 3, false)]
    [InlineData(569, 5, true)]
    [InlineData(7, 7, true)]
    public void KFold_tests_every_row_exactly_once_with_sizes_within_one(int rows, int k, bool shuffle)
    {
        var folds = new KFold(k, shuffle, seed: 3).Split(rows);
        Assert.Equal(k, folds.Count);
        AssertPartition(folds, rows);
        Assert.True(folds.Max(f => f.Test.Count) - folds.Min(f => f.Test.Count) <= 1);
        Assert.True(folds.Select(f => f.Test.Count).SequenceEqual(folds.Select(f => f.Test.Count).OrderDescending()));
    }

    [Fact]
    public void KFold_shuffling_is_reproducible_by_seed_and_without_it_folds_are_consecutive_blocks()
    {
        Assert.Equal(new KFold(4, true, 5).Split(30).Select(f => f.Test), new KFold(4, true, 5).Split(30).Select(f => f.Test));
        Assert.NotEqual(new KFold(4, true, 5).Split(30)[0].Test, new KFold(4, true, 6).Split(30)[0].Test);
        Assert.Equal([0L, 1, 2, 3], new KFold(3).Split(10)[0].Test);
    }

    [Theory]
    [InlineData("wine", false)]
    [InlineData("wine", true)]
    [InlineData("breast_cancer", true)]
    public void Stratified_folds_partition_the_rows_and_hold_each_class_within_one_row_of_its_share(string name, bool shuffle)
    {
        using var data = TabularDatasets.Load(name);
        var labels = data.LabelArray();
        var folds = new StratifiedKFold(5, shuffle, seed: 1).Split(data);
        AssertPartition(folds, data.Count);
        foreach (var c in labels.Distinct())
        {
            var perFold = folds.Select(f => f.Test.Count(i => labels[i] == c)).ToArray();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {c}: {string.Join(", ", perFold)}");
        }
    }

    [Fact]
    public void Stratified_folds_without_shuffling_equal_scikit_learns()
    {
        foreach (var c in Cases("stratified_folds"))
        {
            using var data = TabularDatasets.Load(c.GetProperty("dataset").GetString()!);
            var folds = new StratifiedKFold(c.GetProperty("folds").GetInt32()).Split(data);
            var expected = c.GetProperty("test").EnumerateArray().Select(f => Ints(f).Select(i => (long)i).ToArray()).ToArray();
            Assert.Equal(expected, folds.Select(f => f.Test.ToArray()));
        }
    }

    [Fact]
    public void More_folds_than_a_class_has_rows_is_an_error_naming_the_class()
    {
        using var data = TabularDatasets.Wine();
        var error = Assert.Throws<ArgumentException>(() => new StratifiedKFold(49).Split(data));
        Assert.Contains("Class 'class_2' has 48 rows, fewer than the 49 folds: use at most 48 folds", error.Message);
        Assert.Contains("Cannot split 10 rows into 11 folds", Assert.Throws<ArgumentException>(() => new KFold(11).Split(10)).Message);
        using var diabetes = TabularDatasets.Diabetes();
        Assert.Contains("regression dataset: use KFold", Assert.Throws<ArgumentException>(() => new StratifiedKFold(5).Split(diabetes)).Message);
    }
}
