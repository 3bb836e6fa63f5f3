using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Surgery;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class TransformerSurgeryTests
{
    private static readonly SurgeryMeasurement Quick = new(LatencyBatch: 2, LatencyRepeats: 1);

    /// <summary>dim 16, 2 blocks of 4 heads (4 features each) and 32 MLP units, patches of 7 (16 tokens).</summary>
    private static TinyViT SmallViT()
    {
        manual_seed(3);
        var model = new TinyViT(dim: 16, depth: 2, heads: 4, mlpHidden: 32, patch: 7);
        model.eval();
        return model;
    }

    private static Tensor Weight(nn.Module model, string name) => model.named_parameters().Single(p => p.name == name).parameter;

    [Fact]
    public void The_graph_sees_heads_mlp_units_and_one_residual_stream()
    {
        using var model = SmallViT();
        var graph = DependencyGraph.Build(model);
        var heads = graph.Groups.Where(g => g.IsAttentionHeads).ToList();
        Assert.Equal(["blocks.0.attention.inner heads", "blocks.1.attention.inner heads"], heads.Select(g => g.Name));
        Assert.All(heads, g => Assert.True(g.IsPrunable && g.Size == 4));
        Assert.Equal(["blocks.0.attention.inner.query", "blocks.0.attention.inner.key", "blocks.0.attention.inner.value", "blocks.0.attention.inner.output"],
            heads[0].Members.Select(m => m.Name));
        Assert.All(heads[0].Members, m => Assert.Equal(4L, m.Block));
        var mlp = graph.GroupProducedBy("blocks.1.mlp.inner.fc1")!;
        Assert.Equal((32L, true), (mlp.Size, mlp.IsPrunable));
        var stream = graph.GroupProducedBy("embed")!;
        Assert.True(stream.IsNormalized);
        Assert.Equal(16L, stream.Size);
        // The embedding, both blocks' output and fc2 projections, and everything that reads the stream are one group.
        foreach (var layer in new[] { "position", "blocks.0.attention.norm", "blocks.0.attention.inner.output", "blocks.1.mlp.inner.fc2", "norm", "head", "blocks.1.mlp.inner.fc1", "blocks.0.attention.inner.query" })
            Assert.Contains(stream.Members, m => m.Name == layer);
    }

    [Fact]
    public void Trimming_zeroed_heads_and_mlp_units_keeps_the_outputs()
    {
        using var model = SmallViT();
        using (no_grad())
        {
            // Head 1 of block 0 silenced (its query, key and value rows); head 2 of block 1 unused (its output columns); 5 MLP units of block 1 dead.
            foreach (var projection in new[] { "query", "key", "value" })
            {
                Weight(model, $"blocks.0.attention.inner.{projection}.weight")[4..8].zero_();
                Weight(model, $"blocks.0.attention.inner.{projection}.bias")[4..8].zero_();
            }
            Weight(model, "blocks.1.attention.inner.output.weight")[.., 8..12].zero_();
            Weight(model, "blocks.1.mlp.inner.fc2.weight")[.., 3..8].zero_();
        }
        using var input = randn(5, 1, 28, 28);
        using var before = model.call(input);

        var report = NetworkSurgery.Trim(model, measurement: Quick);

        using var after = model.call(input);
        Assert.True(after.allclose(before, rtol: 0, atol: 1e-5), $"max difference {(after - before).abs().max().item<float>()}");
        Assert.Equal([3L, 3], model.Blocks.Select(b => b.Attention.Heads));
        Assert.Equal([32L, 27], model.Blocks.Select(b => b.MlpHidden));
        Assert.Equal([12L, 16], Weight(model, "blocks.1.attention.inner.query.weight").shape);
        Assert.Equal([16L, 12], Weight(model, "blocks.1.attention.inner.output.weight").shape);
        Assert.Equal(16L, Weight(model, "norm.weight").shape[0]); // the residual stream is never trimmed through a LayerNorm
        Assert.Equal(2 + 5, report.Removal!.Removed);
    }

    [Fact]
    public void Removing_k_heads_removes_their_parameters_and_macs_by_the_formula()
    {
        using var model = SmallViT();
        var before = NetworkSummary.Create(model, [1, 1, 28, 28]);

        var report = NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0), Heads: PruningAmount.Exactly(1)), measurement: Quick);

        var after = NetworkSummary.Create(model, [1, 1, 28, 28]);
        const long d = 16, hd = 4, t = 16, blocks = 2;
        // Per removed head: 3 projections lose hd rows of d weights + hd biases; the output projection loses hd columns of d.
        Assert.Equal(blocks * (3 * (hd * d + hd) + d * hd), before.TotalParameters - after.TotalParameters);
        // Per token: 4 projections lose hd·d MACs; the attention core loses 2·T·hd per token.
        Assert.Equal(blocks * (t * 4 * hd * d + 2 * t * t * hd), before.TotalMacs - after.TotalMacs);
        Assert.Equal([3L, 3], model.Blocks.Select(b => b.Attention.Heads));
        Assert.Equal([32L, 32], model.Blocks.Select(b => b.MlpHidden));
        Assert.Equal(2, report.Removal!.Removed);
        Assert.Contains("1 head per layer", report.Operation);
    }

    [Fact]
    public void Compressing_heads_and_mlp_units_keeps_the_highest_scoring_heads_and_runs()
    {
        using var model = SmallViT();
        // Make head 3 of block 0 clearly the largest and head 0 the smallest by L1 over its query, key and value rows.
        using (no_grad())
        {
            foreach (var projection in new[] { "query", "key", "value" })
            {
                Weight(model, $"blocks.0.attention.inner.{projection}.weight")[12..16].mul_(10);
                Weight(model, $"blocks.0.attention.inner.{projection}.weight")[0..4].mul_(0.01);
            }
        }
        var keptRows = Weight(model, "blocks.0.attention.inner.query.weight")[8..16].detach().clone();

        NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5), Heads: PruningAmount.Of(0.5)), new MagnitudeCriterion(1), measurement: Quick);

        Assert.Equal([2L, 2], model.Blocks.Select(b => b.Attention.Heads));
        Assert.Equal([16L, 16], model.Blocks.Select(b => b.MlpHidden));
        Assert.Equal(16L, Weight(model, "norm.weight").shape[0]);
        // Heads 0 and 1 of block 0 were the weakest by L1 (head 0 scaled down; 2 and 3 include the scaled-up head).
        Assert.True(Weight(model, "blocks.0.attention.inner.query.weight").detach()[4..8].allclose(keptRows[4..8], rtol: 0, atol: 0));
        using var output = model.call(randn(3, 1, 28, 28));
        Assert.Equal([3L, 10], output.shape);
    }

    [Fact]
    public void Taylor_and_random_criteria_score_heads()
    {
        foreach (var criterion in new ICriterion[] { new RandomCriterion(1), new MagnitudeCriterion(2) })
        {
            using var model = SmallViT();
            NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.25), Heads: PruningAmount.Of(0.5)), criterion, measurement: Quick);
            Assert.Equal([2L, 2], model.Blocks.Select(b => b.Attention.Heads));
            Assert.Equal([24L, 24], model.Blocks.Select(b => b.MlpHidden));
        }
        using var tuned = SmallViT();
        manual_seed(4);
        var data = new Data.TensorDataset(randn(16, 1, 28, 28), randint(0, 10, [16]));
        NetworkSurgery.Compress(tuned, new CompressionOptions(PruningAmount.Of(0), Heads: PruningAmount.Exactly(2)), new TaylorCriterion(2, 8), measurement: Quick, data: data);
        Assert.Equal([2L, 2], tuned.Blocks.Select(b => b.Attention.Heads));
    }

    [Fact]
    public void A_users_causal_char_model_reads_tokens_and_loses_heads_and_mlp_units()
    {
        manual_seed(5);
        using var model = new TinyCharModel();
        model.eval();
        var summary = NetworkSummary.Create(model, [1, 12]);
        Assert.Empty(summary.UncountedLayerTypes);
        var graph = DependencyGraph.Build(model, [1, 12]);
        Assert.Equal(2, graph.Groups.Count(g => g.IsAttentionHeads && g.IsPrunable));
        Assert.False(graph.GroupProducedBy("head")!.IsPrunable);

        NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Exactly(8), Heads: PruningAmount.Exactly(2)), inputShape: [1, 12], measurement: Quick);

        var weights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal([8L, 16], weights["first.attention.inner.query.weight"].shape);
        Assert.Equal([16L, 16], weights["second.mlp.inner.fc1.weight"].shape);
        Assert.Equal([20L, 16], weights["tokens.weight"].shape);
        using var tokens = randint(0, 20, [2, 12]);
        Assert.Equal([2L, 12, 20], model.call(tokens).shape);
    }

    [Fact]
    public void The_residual_stream_is_cut_only_when_normalised_groups_are_allowed()
    {
        using var model = SmallViT();
        NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Exactly(4), NormalizedGroups: true), measurement: Quick);
        Assert.Equal(12L, Weight(model, "norm.weight").shape[0]);
        Assert.Equal([12L, 1, 7, 7], Weight(model, "embed.weight").shape);
        Assert.Equal([16L, 12], Weight(model, "position.weight").shape);
        Assert.Equal([12L, 16], Weight(model, "blocks.0.attention.inner.output.weight").shape); // 12 residual outputs, all 4 heads of 4 as inputs
        Assert.Equal([28L, 12], Weight(model, "blocks.0.mlp.inner.fc1.weight").shape);
        using var output = model.call(randn(2, 1, 28, 28));
        Assert.Equal([2L, 10], output.shape);
    }

    [Fact]
    public void Compressing_cuts_a_depthwise_convolution_with_the_channels_it_filters()
    {
        manual_seed(6);
        using var model = new DepthwiseSeparableNet();
        model.eval();
        using (no_grad())
        {
            Weight(model, "stem.weight")[2].zero_();
            Weight(model, "stem.bias")[2].zero_();
            Weight(model, "depthwise.bias")[2].zero_();
            Weight(model, "depthwise.bias")[5].zero_();
            Weight(model, "depthwise.weight")[5].zero_();
        }
        var graph = DependencyGraph.Build(model, [1, 1, 8, 8]);
        var group = graph.GroupProducedBy("stem")!;
        Assert.Equal(["stem", "relu1", "depthwise", "bn", "relu2", "pointwise"], group.Members.Select(m => m.Name));
        Assert.Equal(MemberRole.Passthrough, group.Members.Single(m => m.Name == "depthwise").Role);
        using var input = randn(4, 1, 8, 8);
        using var before = model.call(input);

        NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Exactly(3)), inputShape: [1, 1, 8, 8], measurement: Quick);

        var depthwise = (Conv2d)model.named_modules().Single(m => m.name == "depthwise").module;
        Assert.Equal((5L, 5L, 5L), (depthwise.in_channels, depthwise.out_channels, depthwise.groups));
        Assert.Equal([5L, 1, 3, 3], depthwise.weight!.shape);
        Assert.Equal([9L, 5, 1, 1], Weight(model, "pointwise.weight").shape); // its own group lost 3 of 12 too
        Assert.Equal([4L, 3], model.call(input).shape);
    }

    [Fact]
    public void Trimming_a_depthwise_channel_keeps_the_outputs()
    {
        manual_seed(7);
        using var model = new DepthwiseSeparableNet();
        model.eval();
        using (no_grad())
        {
            Weight(model, "pointwise.weight")[.., 3].zero_(); // channel 3 is read by nobody
        }
        var keptFilters = Weight(model, "depthwise.weight").detach().index_select(0, tensor(new long[] { 0, 1, 2, 4, 5, 6, 7 })).clone();
        using var input = randn(4, 1, 8, 8);
        using var before = model.call(input);

        NetworkSurgery.Trim(model, [1, 1, 8, 8], Quick);

        using var after = model.call(input);
        Assert.True(after.allclose(before, rtol: 0, atol: 1e-5));
        var depthwise = (Conv2d)model.named_modules().Single(m => m.name == "depthwise").module;
        Assert.Equal(7L, depthwise.groups);
        Assert.True(depthwise.weight!.detach().allclose(keptFilters, rtol: 0, atol: 0));
    }
}
