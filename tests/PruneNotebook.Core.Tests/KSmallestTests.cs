using PruneNotebook.Core.Pruning;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class KSmallestTests
{
    /// <summary>The reference rule, spelled out: a stable sort by score, the first k eligible entries.</summary>
    private static bool[] Reference(float[] scores, bool[]? eligible, long k)
    {
        var order = Enumerable.Range(0, scores.Length)
            .Where(i => eligible is null || eligible[i])
            .OrderBy(i => scores[i]).ThenBy(i => i)
            .Take((int)k);
        var chosen = new bool[scores.Length];
        foreach (var i in order)
            chosen[i] = true;
        return chosen;
    }

    public static TheoryData<string, long> LargeCases => new()
    {
        { "continuous", 9 * (KSmallest.BracketThreshold + 12_345) / 10 },
        { "continuous", 7 },
        { "ties", (KSmallest.BracketThreshold + 12_345) / 2 },
        { "eligible", 3 * (KSmallest.BracketThreshold + 12_345) / 10 },
        { "sorted", (KSmallest.BracketThreshold + 12_345) / 3 },
        { "strided trap", (KSmallest.BracketThreshold + 12_345) / 2 },
    };

    [Theory]
    [MemberData(nameof(LargeCases))]
    public void Large_inputs_choose_exactly_what_a_stable_sort_would(string kind, long k)
    {
        var n = KSmallest.BracketThreshold + 12_345;
        var generator = new Generator(11);
        using var scope = NewDisposeScope();
        var scores = kind switch
        {
            "ties" => randint(0, 50, [n], generator: generator).to_type(ScalarType.Float32),  // 50 distinct values
            "sorted" => arange(n, dtype: ScalarType.Float32),
            // The sample reads runs of 16 entries every n / 4096 entries; make exactly those far lower than the rest, so the
            // sample misleads and the fallback must catch it.
            "strided trap" => rand([n], generator: generator).sub(arange(n).remainder(n / 4096).lt(16).to_type(ScalarType.Float32).mul(10)),
            _ => rand([n], generator: generator),
        };
        var eligible = kind == "eligible" ? rand([n], generator: generator).gt(0.4f) : null;

        var chosen = KSmallest.Select(scores, eligible, k).data<bool>().ToArray();
        var expected = Reference(scores.data<float>().ToArray(), eligible?.data<bool>().ToArray(), k);
        Assert.Equal(k, chosen.LongCount(c => c));
        Assert.Equal(expected, chosen);
    }

    [Fact]
    public void Small_inputs_follow_the_same_rule()
    {
        float[] values = [3, 1, 2, 1, 1, 5, 1, 2, 0.5f, 1, 1, 7];
        using var scores = tensor(values);
        for (var k = 0; k <= values.Length; k++)
            Assert.Equal(Reference(values, null, k), KSmallest.Select(scores, null, k).data<bool>().ToArray());
    }

    [Theory]
    [InlineData("continuous", 9)]
    [InlineData("ties", 5)]
    [InlineData("ties", 2)]
    [InlineData("eligible", 3)]
    [InlineData("small", 6)]
    public void Segments_become_keep_masks_in_place_choosing_what_one_joined_input_would(string kind, int tenths)
    {
        // Three segments as a global mask over three layers sees them: two large, one tiny, ties spread across all.
        long[] sizes = kind == "small" ? [700, 300, 5] : [KSmallest.BracketThreshold / 2 + 77, KSmallest.BracketThreshold, 1_000];
        var generator = new Generator(5);
        using var scope = NewDisposeScope();
        var segments = sizes.Select(n => kind == "ties"
            ? randint(0, 40, [n], generator: generator).to_type(ScalarType.Float32)
            : rand([n], generator: generator)).ToArray();
        if (kind == "eligible")
            foreach (var segment in segments)
                segment.masked_fill_(rand([segment.numel()], generator: generator).lt(0.3f), float.PositiveInfinity);
        var joined = cat(segments).data<float>().ToArray();
        var eligible = joined.Select(float.IsFinite).ToArray();
        var k = eligible.LongCount(e => e) * tenths / 10;

        KSmallest.KeepInPlace(segments, k);

        var kept = cat(segments).data<float>().ToArray();
        var expected = Reference(joined, eligible, k);
        Assert.All(kept, v => Assert.True(v is 0 or 1));
        Assert.Equal(expected, kept.Select(v => v == 0).ToArray());
    }
}
