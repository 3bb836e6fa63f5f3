using TensorDataset = PruneNotebook.Core.Data.TensorDataset;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Surgery;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class CompressTests
{
    [Fact]
    public void Compressing_ResNet20_keeps_it_runnable_and_every_addition_consistent()
    {
        manual_seed(0);
        using var model = new ResNet20();
        var report = NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5), RoundTo: 4));
        using var output = model.call(randn(2, 1, 28, 28));
        Assert.Equal([2L, 10], output.shape);
        var graph = DependencyGraph.Build(model); // refuses additions of different widths
        Assert.Equal([8L, 16, 32], new[] { "stem", "stage2.0.shortcut.conv", "stage3.0.shortcut.conv" }.Select(n => graph.GroupProducedBy(n)!.Size));
        var layers = model.named_modules().ToDictionary(m => m.name, m => m.module);
        foreach (var stage in new[] { "stage1", "stage2", "stage3" })
            for (var block = 0; block < 3; block++)
            {
                var prefix = $"{stage}.{block}";
                var conv1 = (Conv2d)layers[$"{prefix}.conv1"];
                var conv2 = (Conv2d)layers[$"{prefix}.conv2"];
                var bn2 = (BatchNorm2d)layers[$"{prefix}.bn2"];
                var shortcut = layers.TryGetValue($"{prefix}.shortcut.conv", out var s) ? ((Conv2d)s).out_channels : conv1.in_channels;
                Assert.Equal(conv2.out_channels, bn2.num_features);
                Assert.Equal(bn2.num_features, shortcut);
                Assert.Equal(conv2.in_channels, ((BatchNorm2d)layers[$"{prefix}.bn1"]).num_features);
            }
        Assert.Equal(32, ((Linear)layers["fc"]).in_features);
        Assert.Equal(ScalarType.Int64, ((BatchNorm2d)layers["bn"]).num_batches_tracked!.dtype);
        Assert.True(report.MacReduction > 3, $"MAC reduction {report.MacReduction}");
    }

    [Fact]
    public void Kept_counts_honour_rounding_the_per_layer_maximum_and_ignored_layers()
    {
        manual_seed(0);
        using var model = new VggNet();
        NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.6), Ignore: ["features.conv6"], MaxFraction: 0.5, RoundTo: 8));
        var convs = model.named_modules().Where(m => m.module is Conv2d).ToDictionary(m => m.name, m => ((Conv2d)m.module).out_channels);
        // 16 channels: 60 % would keep 6.4 -> at most half may go -> 8; 32 -> 16; conv6 (64) is ignored.
        Assert.Equal([8L, 8, 16, 16, 32, 64], convs.Values);
        Assert.Equal(64 * 9, ((Linear)model.named_modules().Single(m => m.name == "fc1").module).in_features);
        Assert.Equal(64, ((Linear)model.named_modules().Single(m => m.name == "fc1").module).out_features);
    }

    [Fact]
    public void Global_compression_removes_the_amount_of_all_units_with_scores_normalised_per_layer()
    {
        manual_seed(0);
        using var model = new LeNet300_100();
        var fc2 = model.named_parameters().Single(p => p.name == "fc2.weight").parameter;
        using (no_grad())
            fc2[..50].mul_(0.01); // half of fc2's neurons are tiny relative to their layer's mean
        var report = NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.25), PruningScope.Global),
            measurement: new SurgeryMeasurement(LatencyBatch: 4, LatencyRepeats: 1));
        var layers = model.named_modules().ToDictionary(m => m.name, m => m.module);
        var kept = ((Linear)layers["fc1"]).out_features + ((Linear)layers["fc2"]).out_features;
        Assert.Equal(400 - 100, kept); // 25 % of the 400 hidden units
        Assert.True(((Linear)layers["fc2"]).out_features <= 50, "the tiny neurons of fc2 go first");
        Assert.Equal("compress l1 25 % global", report.Operation);
    }

    [Fact]
    public void L1_keeps_the_filters_with_the_largest_weights_and_copies_them_exactly()
    {
        manual_seed(0);
        using var model = new LeNet5();
        var conv1 = model.named_parameters().Single(p => p.name == "conv1.weight").parameter;
        using (no_grad())
            conv1.mul_(tensor(new float[] { 1, 5, 0.1f, 4, 0.2f, 3 }).reshape(6, 1, 1, 1));
        var expected = conv1.detach().index_select(0, tensor(new long[] { 1, 3, 5 })).clone();
        NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5), Ignore: ["conv2", "fc1", "fc2"]));
        Assert.Equal(expected.data<float>().ToArray(), model.named_parameters().Single(p => p.name == "conv1.weight").parameter.detach().data<float>().ToArray());
    }

    [Fact]
    public void Batch_norm_scale_Taylor_and_APoZ_rank_units_by_what_they_measure()
    {
        manual_seed(0);
        using var vgg = new VggNet();
        var bn1 = vgg.named_modules().Single(m => m.name == "features.bn1").module as BatchNorm2d;
        using (no_grad())
            bn1!.weight.copy_(arange(16, dtype: ScalarType.Float32));
        var graph = DependencyGraph.Build(vgg);
        var group = graph.GroupProducedBy("features.conv1")!;
        var bnScores = new BatchNormScaleCriterion().ScoreGroups([group], new ScoringContext(vgg))[0]!;
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (float)i), bnScores.data<float>().ToArray());

        using var data = new TensorDataset(randn([64, 1, 28, 28], generator: new Generator(3)), randint(10, [64], generator: new Generator(4)));
        var taylor = new TaylorCriterion(batches: 2, batchSize: 32).ScoreGroups([group], new ScoringContext(vgg, data))[0]!;
        Assert.Equal(16, taylor.shape[0]);
        Assert.True(taylor.ge(0).all().item<bool>());
        // γ = 0 for channel 0: no gradient flows to its conv filter and the BN scale's own term is zero.
        Assert.Equal(0f, taylor[0].item<float>());
        Assert.All(vgg.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));

        manual_seed(0);
        using var mlp = new LeNet300_100();
        var fc1 = mlp.named_parameters().Single(p => p.name == "fc1.bias").parameter;
        using (no_grad())
        {
            mlp.named_parameters().Single(p => p.name == "fc1.weight").parameter[..10].zero_();
            fc1[..10].fill_(-1); // units 0..9 are never active
        }
        var hidden = DependencyGraph.Build(mlp).GroupProducedBy("fc1")!;
        var apoz = new ApozCriterion(batches: 2, batchSize: 32).ScoreGroups([hidden], new ScoringContext(mlp, data))[0]!;
        Assert.Equal(Enumerable.Repeat(0f, 10), apoz[..10].data<float>().ToArray());
        Assert.True(apoz[10..].gt(0).all().item<bool>());
    }

    private static readonly SurgeryMeasurement Quick = new(LatencyBatch: 4, LatencyRepeats: 1);

    [Fact]
    public void A_count_removes_that_many_units_of_every_group_or_of_all_of_them_together()
    {
        manual_seed(0);
        using var local = new LeNet300_100();
        var report = NetworkSurgery.Compress(local, new CompressionOptions(PruningAmount.Exactly(30)), measurement: Quick);
        Assert.Equal([270L, 70], Widths(local));
        Assert.Equal("compress l1 30 units per group local", report.Operation);

        manual_seed(0);
        using var global = new LeNet300_100();
        report = NetworkSurgery.Compress(global, new CompressionOptions(PruningAmount.Exactly(30), PruningScope.Global), measurement: Quick);
        Assert.Equal(400 - 30, Widths(global).Sum());
        Assert.Equal("compress l1 30 units global", report.Operation);
    }

    [Fact]
    public void Random_compression_keeps_the_units_its_seed_draws()
    {
        float[] Kept(long seed)
        {
            manual_seed(0);
            using var model = new LeNet300_100();
            using var random = new RandomCriterion(seed);
            NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5)), random, measurement: Quick);
            Assert.Equal([150L, 50], Widths(model));
            return model.named_parameters().Single(p => p.name == "fc1.bias").parameter.detach().data<float>().ToArray();
        }
        Assert.Equal(Kept(5), Kept(5));
        Assert.NotEqual(Kept(5), Kept(6));
    }

    [Fact]
    public void A_criterion_that_scores_only_units_compresses_groups_by_their_producers_scores()
    {
        manual_seed(0);
        using var model = new LeNet300_100();
        var fc1 = model.named_parameters().Single(p => p.name == "fc1.weight").parameter;
        var expected = fc1.detach()[150..].clone();
        // The last half of fc1's units and the first half of fc2's score highest.
        var criterion = new GivenScoresCriterion(new Dictionary<string, Tensor>
        {
            ["fc1.weight"] = cat([zeros(150, 784), ones(150, 784)]),
            ["fc2.weight"] = cat([ones(50, 300), zeros(50, 300)]),
        });
        var report = NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5)), criterion, measurement: Quick);
        Assert.Equal("compress scores 50 % local", report.Operation);
        Assert.Equal(expected.data<float>().ToArray(), model.named_parameters().Single(p => p.name == "fc1.weight").parameter.detach().data<float>().ToArray());
    }

    private static long[] Widths(LeNet300_100 model) =>
        model.named_modules().Where(m => m.name is "fc1" or "fc2").Select(m => ((Linear)m.module).out_features).ToArray();

    [Fact]
    public void A_model_the_library_never_saw_compresses_with_a_registered_surgeon()
    {
        LayerSurgeons.Register(new ChannelScaleSurgeon());
        manual_seed(0);
        using var model = new ScaledNet();
        using var reference = new ScaledNet();
        reference.load_state_dict(model.state_dict());
        model.eval();
        reference.eval();
        var report = NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5)), inputShape: [1, 1, 8, 8]);
        var scale = (ChannelScale)model.named_modules().Single(m => m.name == "scale").module;
        Assert.Equal(4, scale.scale.shape[0]);
        Assert.Equal(3, ((Conv2d)model.named_modules().Single(m => m.name == "conv2").module).out_channels);
        Assert.Equal(3 * 64, ((Linear)model.named_modules().Single(m => m.name == "fc").module).in_features);

        // The reference with the removed units zeroed at their producers computes the same function.
        var graph = DependencyGraph.Build(reference, [1, 1, 8, 8]);
        using (no_grad())
            foreach (var (producer, keptCount) in new[] { ("conv1", 4), ("conv2", 3) })
            {
                var weight = reference.named_parameters().Single(p => p.name == $"{producer}.weight").parameter;
                var bias = reference.named_parameters().Single(p => p.name == $"{producer}.bias").parameter;
                var norms = weight.abs().reshape(weight.shape[0], -1).sum(1) + bias.abs();
                var removed = norms.argsort(descending: true)[keptCount..];
                weight.index_fill_(0, removed, 0);
                bias.index_fill_(0, removed, 0);
            }
        using var input = randn(5, 1, 8, 8, generator: new Generator(7));
        Assert.True(model.call(input).allclose(reference.call(input), rtol: 0, atol: 1e-5));
        Assert.Equal(["conv1", "conv2"], graph.Groups.Where(g => g.IsPrunable).Select(g => g.Name));
        Assert.True(report.After.Parameters < report.Before.Parameters);
    }
}
