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

    private const long LargeN = KSmallest.BracketThreshold + 12_345;

    private static readonly (string Kind, long K)[] LargeInputs =
    [
        ("continuous", 9 * LargeN / 10),
        ("continuous", 7),
        ("ties", LargeN / 2),
        ("eligible", 3 * LargeN / 10),
        ("sorted", LargeN / 3),
        ("strided trap", LargeN / 2),
        // 60 % exact zeros: the k-th value is the bracket's lower end itself, or lies just above the zeros.
        ("zeros", LargeN / 2),
        ("zeros", 7 * LargeN / 10),
        ("signed", LargeN / 4),
        ("infinite", 2 * LargeN / 5),
    ];

    /// <summary>Every input through every bracket pass (by name: the enum is internal, test methods are public).</summary>
    public static TheoryData<string, long, string> LargeCases()
    {
        var data = new TheoryData<string, long, string>();
        foreach (var pass in Enum.GetNames<KSmallest.BracketPass>())
            foreach (var (kind, k) in LargeInputs)
                data.Add(kind, k, pass);
        return data;
    }

    private static Tensor LargeScores(string kind, Generator generator) => kind switch
    {
        "ties" => randint(0, 50, [LargeN], generator: generator).to_type(ScalarType.Float32),  // 50 distinct values
        "sorted" => arange(LargeN, dtype: ScalarType.Float32),
        // The sample reads runs of 16 entries every n / 4096 entries; make exactly those far lower than the rest, so the
        // sample misleads and the fallback must catch it.
        "strided trap" => rand([LargeN], generator: generator).sub(arange(LargeN).remainder(LargeN / 4096).lt(16).to_type(ScalarType.Float32).mul(10)),
        "zeros" => rand([LargeN], generator: generator).mul_(rand([LargeN], generator: generator).gt(0.6f)),
        "signed" => randn([LargeN], generator: generator),
        // Eligible scores of both signs beside entries at ±∞ (a user's scores may hold them): the k-th value is finite.
        "infinite" => randn([LargeN], generator: generator).masked_fill_(rand([LargeN], generator: generator).lt(0.05f), float.NegativeInfinity)
            .masked_fill_(rand([LargeN], generator: generator).lt(0.2f), float.PositiveInfinity),
        _ => rand([LargeN], generator: generator),
    };

    [Theory]
    [MemberData(nameof(LargeCases))]
    public void Large_inputs_choose_exactly_what_a_stable_sort_would(string kind, long k, string pass)
    {
        var generator = new Generator(11);
        using var scope = NewDisposeScope();
        var scores = LargeScores(kind, generator);
        var eligible = kind == "eligible" ? rand([LargeN], generator: generator).gt(0.4f) : null;

        var chosen = KSmallest.Select(scores, eligible, k, Enum.Parse<KSmallest.BracketPass>(pass)).data<bool>().ToArray();
        var expected = Reference(scores.data<float>().ToArray(), eligible?.data<bool>().ToArray(), k);
        Assert.Equal(k, chosen.LongCount(c => c));
        Assert.Equal(expected, chosen);
    }

    [Fact]
    public void The_CPU_scan_treats_NaN_scores_as_the_tensor_ops_do_and_still_prunes_exactly_k()
    {
        var n = KSmallest.BracketThreshold + 999;
        var k = n / 2;
        var generator = new Generator(3);
        using var scope = NewDisposeScope();
        var scores = rand([n], generator: generator).masked_fill_(rand([n], generator: generator).lt(0.01f), float.NaN);
        var scanned = scores.clone();
        var withTensorOps = scores.clone();

        KSmallest.KeepInPlace([scanned], k, KSmallest.BracketPass.Fastest);
        KSmallest.KeepInPlace([withTensorOps], k, KSmallest.BracketPass.TensorOps);

        var kept = scanned.data<float>().ToArray();
        Assert.Equal(withTensorOps.data<float>().ToArray(), kept);
        Assert.Equal(n - k, kept.LongCount(v => v == 1));
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
    [InlineData("continuous", 9, "Fastest")]
    [InlineData("continuous", 9, "TensorOps")]
    [InlineData("continuous", 9, "ScalarScan")]
    [InlineData("ties", 5, "Fastest")]
    [InlineData("ties", 5, "TensorOps")]
    [InlineData("ties", 2, "Fastest")]
    [InlineData("eligible", 3, "Fastest")]
    [InlineData("eligible", 3, "TensorOps")]
    [InlineData("small", 6, "Fastest")]
    public void Segments_become_keep_masks_in_place_choosing_what_one_joined_input_would(string kind, int tenths, string pass)
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

        KSmallest.KeepInPlace(segments, k, Enum.Parse<KSmallest.BracketPass>(pass));

        var kept = cat(segments).data<float>().ToArray();
        var expected = Reference(joined, eligible, k);
        Assert.All(kept, v => Assert.True(v is 0 or 1));
        Assert.Equal(expected, kept.Select(v => v == 0).ToArray());
    }
}
