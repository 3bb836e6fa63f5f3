using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Surgery;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class TransformerSurgeryRefusalTests
{
    private static readonly SurgeryMeasurement Quick = new(LatencyBatch: 2, LatencyRepeats: 1);

    private static TinyViT SmallViT()
    {
        manual_seed(3);
        return new TinyViT(dim: 16, depth: 2, heads: 4, mlpHidden: 32, patch: 7);
    }

    [Fact]
    public void Removing_every_head_of_a_layer_is_refused_and_changes_nothing()
    {
        foreach (var heads in new[] { PruningAmount.Exactly(4), PruningAmount.Of(1.0) })
        {
            using var model = SmallViT();
            var values = ModelState.Values(model);
            var layers = ModelState.Layers(model);
            var error = Assert.Throws<ArgumentException>(() =>
                NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0), Heads: heads), measurement: Quick));
            Assert.Contains("heads of 'blocks.0.attention.inner'", error.Message);
            Assert.Contains("must keep at least one", error.Message);
            ModelState.AssertUnchanged(model, values, layers);
        }
    }

    [Fact]
    public void Attention_the_graph_cannot_see_is_refused()
    {
        using var model = new FunctionalAttention();
        var error = Assert.Throws<ArgumentException>(() =>
            NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0), Heads: PruningAmount.Of(0.5)), inputShape: [1, 5, 8], measurement: Quick));
        Assert.Equal("FunctionalAttention cannot be traced: the input of 'output' is made by an operation outside any module (e.g. functional.relu or x + y in forward). " +
                     "Use a module for each step (nn.ReLU(), nn.Flatten()), implement IDeclaresCoupling on a module that adds branches, " +
                     "or IDeclaresAttention on an attention layer (as MultiHeadSelfAttention does) so that its heads can be seen.", error.Message);
    }

    [Fact]
    public void Weights_inside_a_native_TorchSharp_encoder_layer_are_refused_by_name_and_left_out_by_default()
    {
        manual_seed(0);
        using var model = new NativeEncoderModel();
        var values = ModelState.Values(model);
        const string Native = "which TorchSharp runs natively without its inner layers as modules, so they cannot be masked or hooked: "
            + "build that part from modules (nn.Linear, nn.LayerNorm, PruneNotebook's TransformerBlock) or prune other layers.";
        Assert.Equal("NativeEncoderModel's layer 'encoder.linear1' lies inside 'encoder', a TransformerEncoderLayer, " + Native,
            Assert.Throws<ArgumentException>(() => Pruner.WeightsOf(model, ["encoder.linear1"])).Message.Split(" (Parameter")[0]);
        Assert.Equal("NativeEncoderModel's layer 'encoder' is a TransformerEncoderLayer, " + Native,
            Assert.Throws<ArgumentException>(() => Pruner.WeightsOf(model, ["encoder"])).Message.Split(" (Parameter")[0]);
        Assert.Equal("NativeEncoderModel's parameter 'encoder.self_attn.in_proj_weight' lies inside 'encoder', a TransformerEncoderLayer, " + Native,
            Assert.Throws<ArgumentException>(() => Pruner.Unstructured(model, ["encoder.self_attn.in_proj_weight"], PruningAmount.Of(0.5), new Scoring.MagnitudeCriterion()))
                .Message.Split(" (Parameter")[0]);
        ModelState.AssertUnchanged(model, values, ModelState.Layers(model));
        Assert.False(PruningMasks.Any(model));
        // An ordinary name that does not exist keeps its own message.
        Assert.StartsWith("NativeEncoderModel has no layer 'decoder' with a weight: expected one of embed, head.",
            Assert.Throws<ArgumentException>(() => Pruner.WeightsOf(model, ["decoder"])).Message);
        Assert.Equal(["embed.weight", "head.weight"], Pruner.DefaultTargets(model));
        Assert.Equal([("encoder", "TransformerEncoderLayer")], Pruner.NativeLayers(model));
        // Wrapped in a module of the user's own, the native layer is the one named, not the wrapper around it.
        using var wrapped = nn.Sequential(("net", new NativeEncoderModel()));
        Assert.Equal([("net.encoder", "TransformerEncoderLayer")], Pruner.NativeLayers(wrapped));
        Assert.StartsWith("Sequential has no layer 'net' with a weight", Assert.Throws<ArgumentException>(() => Pruner.WeightsOf(wrapped, ["net"])).Message);
        Assert.StartsWith("Sequential's layer 'net.encoder.linear2' lies inside 'net.encoder', a TransformerEncoderLayer",
            Assert.Throws<ArgumentException>(() => Pruner.WeightsOf(wrapped, ["net.encoder.linear2"])).Message);
        Assert.Equal("Left dense: 'encoder' (TransformerEncoderLayer), which TorchSharp runs natively without its inner layers as modules, "
            + "so they cannot be masked; build such a part from modules (nn.Linear, nn.LayerNorm, PruneNotebook's TransformerBlock) to prune it.",
            Pruner.NativeLayersNote(model));
        using var zoo = new CharGpt(context: 8, dim: 16, depth: 1, heads: 2, mlpHidden: 32);
        Assert.Empty(Pruner.NativeLayers(zoo));
        Assert.Null(Pruner.NativeLayersNote(zoo));
    }

    [Fact]
    public void Heads_asked_of_a_model_without_attention_are_refused()
    {
        manual_seed(0);
        using var model = new LeNet5();
        var values = ModelState.Values(model);
        var error = Assert.Throws<ArgumentException>(() =>
            NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5), Heads: PruningAmount.Exactly(1)), measurement: Quick));
        Assert.Equal("LeNet5 has no attention layer the dependency graph can see, so no heads to remove: build attention from MultiHeadSelfAttention or implement IDeclaresAttention on it.", error.Message);
        ModelState.AssertUnchanged(model, values, ModelState.Layers(model));
    }

    [Fact]
    public void Units_asked_only_of_a_normalised_residual_stream_are_refused()
    {
        manual_seed(0);
        using var model = nn.Sequential(("fc", nn.Linear(8, 8)), ("norm", nn.LayerNorm(8)), ("out", nn.Linear(8, 3)));
        var values = ModelState.Values(model);
        var error = Assert.Throws<ArgumentException>(() =>
            NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5)), inputShape: [1, 8], measurement: Quick));
        Assert.Equal("Sequential has no units to compress but its residual stream, which LayerNorm normalises: remove heads (--heads), or allow normalised groups to cut the residual stream.", error.Message);
        ModelState.AssertUnchanged(model, values, ModelState.Layers(model));
    }

    [Fact]
    public void A_grouped_convolution_keeps_its_channels_and_says_why()
    {
        manual_seed(0);
        using var model = new DepthwiseSeparableNet(groups: 2);
        var report = NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Exactly(2)), inputShape: [1, 1, 8, 8], measurement: Quick);
        var kept = report.Removal!.Kept.Single(k => k.Group == "stem");
        Assert.Contains("grouped convolution (groups = 2, 4 input and 4 output channels per group)", kept.Reason);
        Assert.Equal(8L, ((Conv2d)model.named_modules().Single(m => m.name == "depthwise").module).in_channels);
    }
}
