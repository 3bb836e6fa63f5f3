using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Surgery;
using TensorDataset = PruneNotebook.Core.Data.TensorDataset;
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

        var report = NetworkSurgery.Compress(shared, new CompressionOptions(PruningAmount.Of(0.5)), inputShape: [1, 3, 16, 16], measurement: Quick);
        NetworkSurgery.Compress(separate, new CompressionOptions(PruningAmount.Of(0.5)), inputShape: [1, 3, 16, 16], measurement: Quick);

        // 3·8·9+8 + 8·16·9+16 + 16·16·9+16 + 16·10+10 = 224 + 1,168 + 2,320 + 170.
        Assert.Equal(3_882, Parameters(shared));
        Assert.Equal(Parameters(separate), Parameters(shared));
        Assert.Equal((14_666L, 3_882L), (report.Before.Parameters, report.After.Parameters));
        Assert.Equal(["c1", "c2", "c3", "fc"], report.Layers.Select(l => l.Name));
        Assert.Equal((40L, 40L, false), (report.Removal!.Requested, report.Removal.Removed, report.Removal.FellShort)); // half of 16 + 32 + 32
        // The kept filters are the L1-largest, copied exactly, with the inputs of the kept channels before them.
        AssertKeptSlice(original, shared, "c1.weight", kept["c1"], null);
        AssertKeptSlice(original, shared, "c2.weight", kept["c2"], kept["c1"]);
        AssertKeptSlice(original, shared, "c3.weight", kept["c3"], kept["c2"]);
        AssertKeptSlice(original, shared, "fc.weight", null, kept["c3"]);
        using var input = randn(4, 3, 16, 16, generator: new Generator(1));
        Assert.True(shared.call(input).allclose(separate.call(input), rtol: 0, atol: 0));
        Assert.True(shared.call(input).allclose(IgnoringRemoved(original, kept, input), rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void A_pool_and_relu_used_by_both_stages_compress_exactly_like_separate_ones()
    {
        manual_seed(1);
        using var shared = new SharedPoolNet(shared: true);
        using var separate = new SharedPoolNet(shared: false);
        CopyWeights(shared, separate);
        var kept1 = L1Kept(Layer<Conv2d>(shared, "features.conv1"), 4);
        var kept2 = L1Kept(Layer<Conv2d>(shared, "features.conv2"), 8);

        var report = NetworkSurgery.Compress(shared, new CompressionOptions(PruningAmount.Of(0.5)), inputShape: [1, 1, 16, 16], measurement: Quick);
        NetworkSurgery.Compress(separate, new CompressionOptions(PruningAmount.Of(0.5)), inputShape: [1, 1, 16, 16], measurement: Quick);

        // Before 1·8·9+8 + 8·16·9+16 + 256·10+10 = 3,818; after 1·4·9+4 + 4·8·9+8 + 8·16·10+10 = 40 + 296 + 1,290.
        Assert.Equal((3_818L, 1_626L), (report.Before.Parameters, report.After.Parameters));
        Assert.Equal(Parameters(separate), Parameters(shared));
        Assert.Equal(8 * 16, Layer<Linear>(shared, "fc").in_features);
        using var input = randn(3, 1, 16, 16, generator: new Generator(2));
        Assert.True(shared.call(input).allclose(separate.call(input), rtol: 0, atol: 0));
        // The separate network's compression is the reference; both kept the L1-largest filters.
        Assert.Equal(kept2.Length, Layer<Conv2d>(shared, "features.conv2").out_channels);
        Assert.Equal(kept1.Length, Layer<Conv2d>(shared, "features.conv2").in_channels);
        Assert.Equal((12L, 12L), (report.Removal!.Requested, report.Removal.Removed));
    }

    [Fact]
    public void A_block_applied_twice_loses_the_same_channels_at_both_calls()
    {
        manual_seed(2);
        using var model = new TwiceAppliedBlockNet();
        Calibrate(model, [1, 8, 8]);
        using var original = new TwiceAppliedBlockNet();
        CopyWeights(model, original);
        original.eval();
        // One group: the stem's and the block's filters score together (the sum of their L1 norms).
        var stem = Layer<Conv2d>(model, "stem");
        var conv = Layer<Conv2d>(model, "block.conv");
        var norms = (L1(stem) + L1(conv)).data<float>().ToArray();
        var kept = Enumerable.Range(0, 8).OrderByDescending(i => norms[i]).Take(4).Order().Select(i => (long)i).ToArray();

        var report = NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5)), inputShape: [1, 1, 8, 8], measurement: Quick);

        Assert.Equal((4L, 4L, 4L), (Layer<Conv2d>(model, "stem").out_channels, Layer<Conv2d>(model, "block.conv").in_channels, Layer<Conv2d>(model, "block.conv").out_channels));
        Assert.Equal(4, Layer<BatchNorm2d>(model, "block.bn").num_features);
        Assert.Equal(4, Layer<Linear>(model, "head").in_features);
        AssertKeptSlice(original, model, "block.conv.weight", kept, kept);
        Assert.Equal(["stem", "block.conv", "block.bn", "head"], report.Layers.Select(l => l.Name));
        // The original network whose consumers ignore the removed channels computes the same (eval mode, calibrated BatchNorm).
        using var input = randn(5, 1, 8, 8, generator: new Generator(3));
        Assert.True(model.call(input).allclose(Ignoring(original, ["block.conv", "head"], kept, input), rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void A_torchvision_block_calling_one_relu_twice_compresses_exactly_like_one_with_two_relus()
    {
        manual_seed(3);
        using var shared = new TorchvisionStyleResNet(shared: true);
        Calibrate(shared, [1, 8, 8]);
        using var separate = new TorchvisionStyleResNet(shared: false);
        CopyWeights(shared, separate);
        separate.eval();

        var report = NetworkSurgery.Compress(shared, new CompressionOptions(PruningAmount.Of(0.5)), inputShape: [1, 1, 8, 8], measurement: Quick);
        NetworkSurgery.Compress(separate, new CompressionOptions(PruningAmount.Of(0.5)), inputShape: [1, 1, 8, 8], measurement: Quick);

        // Three groups of 16 halve: the residual stream (stem, both conv2) and each block's inner channels.
        Assert.Equal(8, Layer<Conv2d>(shared, "layer1.conv1").out_channels);
        Assert.Equal(8, Layer<Conv2d>(shared, "layer2.conv2").out_channels);
        Assert.Equal(Parameters(separate), Parameters(shared));
        Assert.Equal((24L, 24L), (report.Removal!.Requested, report.Removal.Removed));
        Assert.False(report.Removal.FellShort);
        using var input = randn(3, 1, 8, 8, generator: new Generator(4));
        Assert.True(shared.call(input).allclose(separate.call(input), rtol: 0, atol: 0));
    }

    [Fact]
    public void APoZ_counts_for_each_group_only_the_call_of_a_shared_relu_its_units_pass_through()
    {
        manual_seed(4);
        using var shared = new SharedReluCnn(shared: true);
        using var separate = new SharedReluCnn(shared: false);
        CopyWeights(shared, separate);
        using var data = new TensorDataset(randn([24, 3, 16, 16], generator: new Generator(5)), zeros(24, ScalarType.Int64));
        var apoz = new ApozCriterion(batches: 2, batchSize: 12);
        using var sharedContext = new ScoringContext(shared, data);
        using var separateContext = new ScoringContext(separate, data);
        var fromShared = apoz.ScoreGroups(DependencyGraph.Build(shared, [1, 3, 16, 16]).Groups.Where(g => g.IsPrunable).ToList(), sharedContext);
        var fromSeparate = apoz.ScoreGroups(DependencyGraph.Build(separate, [1, 3, 16, 16]).Groups.Where(g => g.IsPrunable).ToList(), separateContext);
        Assert.Equal(3, fromShared.Count);
        for (var i = 0; i < 3; i++)
            Assert.Equal(fromSeparate[i]!.data<float>().ToArray(), fromShared[i]!.data<float>().ToArray());
        Assert.True(fromShared[2]!.lt(1).any().item<bool>(), "c3's units are zero for some inputs");
    }

    /// <summary>Gives the BatchNorms running statistics of their own (a few training-mode passes), then switches to eval mode.</summary>
    private static void Calibrate(nn.Module<Tensor, Tensor> model, long[] example)
    {
        using var noGrad = no_grad();
        model.train();
        for (var i = 0; i < 3; i++)
            model.call(randn([16L, .. example], generator: new Generator(100 + (ulong)i)));
        model.eval();
    }

    private static Tensor L1(Conv2d conv) => conv.weight!.detach().abs().reshape(conv.out_channels, -1).sum(1) + conv.bias!.detach().abs();

    /// <summary><paramref name="model"/>'s output when <paramref name="consumers"/> ignore every channel but <paramref name="kept"/> (their input weights zeroed).</summary>
    private static Tensor Ignoring(nn.Module<Tensor, Tensor> model, string[] consumers, long[] kept, Tensor input)
    {
        using (no_grad())
            foreach (var consumer in consumers)
            {
                var weight = model.named_parameters().Single(p => p.name == $"{consumer}.weight").parameter;
                weight.index_fill_(1, tensor(Enumerable.Range(0, (int)weight.shape[1]).Select(i => (long)i).Except(kept).ToArray()), 0);
            }
        return model.call(input);
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
