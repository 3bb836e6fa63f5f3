using PruneNotebook.Core.Data;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class TensorDatasetTests
{
    private static TensorDataset Numbers(int n) =>
        new(arange(n, dtype: ScalarType.Float32).reshape(n, 1), arange(n, dtype: ScalarType.Int64));

    [Fact]
    public void Shuffled_batches_cover_every_example_exactly_once()
    {
        using var data = Numbers(10);
        var seen = data.Batches(3, shuffle: true, seed: 7).SelectMany(b => b.Labels.data<long>().ToArray()).ToList();
        Assert.Equal(10, seen.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), seen.Order());
        Assert.NotEqual(Enumerable.Range(0, 10).Select(i => (long)i), seen);
    }

    [Fact]
    public void The_same_seed_gives_the_same_order_and_another_seed_another()
    {
        using var data = Numbers(50);
        long[] Order(long seed) => data.Batches(8, shuffle: true, seed: seed).SelectMany(b => b.Labels.data<long>().ToArray()).ToArray();
        Assert.Equal(Order(3), Order(3));
        Assert.NotEqual(Order(3), Order(4));
    }

    [Fact]
    public void Features_stay_paired_with_their_labels()
    {
        using var data = Numbers(20);
        foreach (var (x, y) in data.Batches(6, shuffle: true, seed: 1))
            Assert.Equal(y.data<long>().ToArray(), x.reshape(-1).data<float>().ToArray().Select(v => (long)v).ToArray());
    }

    [Fact]
    public void Unshuffled_batches_keep_order_and_the_last_batch_is_short()
    {
        using var data = Numbers(7);
        var sizes = data.Batches(3).Select(b => b.Labels.shape[0]).ToArray();
        Assert.Equal([3L, 3, 1], sizes);
    }

    [Fact]
    public void Rejects_mismatched_lengths_and_bad_batch_sizes()
    {
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(zeros(3, 2), zeros(4, dtype: ScalarType.Int64)));
        Assert.Contains("same first dimension", e.Message);
        using var data = Numbers(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Batches(0));
    }
}
