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
            // Every 16th entry (the sample's stride) is far lower than the rest: the sample misleads, the fallback must catch it.
            "strided trap" => rand([n], generator: generator).sub(arange(n).remainder(16).eq(0).to_type(ScalarType.Float32).mul(10)),
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
}
