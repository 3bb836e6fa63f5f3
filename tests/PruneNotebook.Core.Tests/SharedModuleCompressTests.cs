using PruneNotebook.Core.Surgery;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static PruneNotebook.Core.Tests.SharedModules;

namespace PruneNotebook.Core.Tests;

/// <summary>
/// Compressing networks that call one stateless module in several places: each is compared with the same network
/// written with a separate instance per call (same weights), and with kept channels computed directly by L1.
/// </summary>
public class SharedModuleCompressTests
{
    private static readonly SurgeryMeasurement Quick = new(LatencyBatch: 2, LatencyRepeats: 1);

    [Fact]
    public void A_relu_shared_by_three_convolutions_compresses_exactly_like_three_separate_relus()
    {
        manual_seed(0);
        using var shared = new SharedReluCnn(shared: true);
        using var separate = new SharedReluCnn(shared: false);
        CopyWeights(shared, separate);
        Assert.Equal(14_666, Parameters(shared));
        var kept = new[] { ("c1", 8), ("c2", 16), ("c3", 16) }.ToDictionary(c => c.Item1, c => L1Kept(Layer<Conv2d>(shared, c.Item1), c.Item2));
        using var original = new SharedReluCnn(shared: true);
        CopyWeights(shared, original);

        var report = NetworkSurgery.Compress(shared, new CompressionOptions(0.5), inputShape: [1, 3, 16, 16], measurement: Quick);
        NetworkSurgery.Compress(separate, new CompressionOptions(0.5), inputShape: [1, 3, 16, 16], measurement: Quick);

        // 3·8·9+8 + 8·16·9+16 + 16·16·9+16 + 16·10+10 = 224 + 1,168 + 2,320 + 170.
        Assert.Equal(3_882, Parameters(shared));
        Assert.Equal(Parameters(separate), Parameters(shared));
        Assert.Equal((14_666L, 3_882L), (report.Before.Parameters, report.After.Parameters));
        Assert.Equal(["c1", "c2", "c3", "fc"], report.Layers.Select(l => l.Name));
        // The kept filters are the L1-largest, copied exactly, with the inputs of the kept channels before them.
        AssertKeptSlice(original, shared, "c1.weight", kept["c1"], null);
        AssertKeptSlice(original, shared, "c2.weight", kept["c2"], kept["c1"]);
        AssertKeptSlice(original, shared, "c3.weight", kept["c3"], kept["c2"]);
        AssertKeptSlice(original, shared, "fc.weight", null, kept["c3"]);
        using var input = randn(4, 3, 16, 16, generator: new Generator(1));
        Assert.True(shared.call(input).allclose(separate.call(input), rtol: 0, atol: 0));
        Assert.True(shared.call(input).allclose(IgnoringRemoved(original, kept, input), rtol: 1e-5, atol: 1e-5));
    }

    /// <summary>The kept output channels of a convolution by L1 norm of its filter and bias, ascending.</summary>
    internal static long[] L1Kept(Conv2d conv, int count)
    {
        var norms = (conv.weight!.detach().abs().reshape(conv.out_channels, -1).sum(1) + conv.bias!.detach().abs()).data<float>().ToArray();
        return Enumerable.Range(0, norms.Length).OrderByDescending(i => norms[i]).Take(count).Order().Select(i => (long)i).ToArray();
    }

    private static void AssertKeptSlice(nn.Module original, nn.Module compressed, string parameter, long[]? outputs, long[]? inputs)
    {
        var value = original.named_parameters().Single(p => p.name == parameter).parameter.detach();
        if (outputs is not null)
            value = value.index_select(0, tensor(outputs));
        if (inputs is not null)
            value = value.index_select(1, tensor(inputs));
        Assert.Equal(value.data<float>().ToArray(), compressed.named_parameters().Single(p => p.name == parameter).parameter.detach().data<float>().ToArray());
    }

    /// <summary>The original issue CNN's output when the removed channels are ignored by their consumers (their input weights zeroed).</summary>
    private static Tensor IgnoringRemoved(SharedReluCnn original, Dictionary<string, long[]> kept, Tensor input)
    {
        using (no_grad())
            foreach (var (producer, consumer) in new[] { ("c1", "c2"), ("c2", "c3"), ("c3", "fc") })
            {
                var weight = original.named_parameters().Single(p => p.name == $"{consumer}.weight").parameter;
                var removed = Enumerable.Range(0, (int)weight.shape[1]).Select(i => (long)i).Except(kept[producer]).ToArray();
                weight.index_fill_(1, tensor(removed), 0);
            }
        return original.call(input);
    }
}
