using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using TorchSharp.Modules;

namespace PruneNotebook.Interactive.Tests;

[Collection(KernelCollection.Name)]
public sealed class SurgeryMagicTests : KernelTestBase
{
    [Fact]
    public async Task Trim_removes_the_filters_pruning_zeroed_and_shows_before_and_after()
    {
        await DisplayedHtml("#!prune model --amount 2 --structured --dim 0 --layers conv1");
        var html = await DisplayedHtml("#!trim model --data samples");
        Assert.Contains("LeNet5 · trim", html);
        Assert.Contains(">6 → 4<", html);
        Assert.Contains("Latency (batch 64)", html);
        Assert.Contains("Accuracy", html);
        var conv1 = (Conv2d)Variable<LeNet5>("model").named_modules().Single(m => m.name == "conv1").module;
        Assert.Equal(4, conv1.out_channels);
        Assert.Equal([4L, 1, 5, 5], PruningMasks.Get(Variable<LeNet5>("model"), "conv1.weight")!.shape);
    }

    [Fact]
    public async Task Compress_halves_the_hidden_layers_and_keeps_ignored_ones_whole()
    {
        var html = await DisplayedHtml("#!compress mlp --amount 0.5 --criterion apoz --data samples --ignore fc2 --round-to 8");
        Assert.Contains("LeNet300_100 · compress apoz 50 % local, kept counts rounded to 8", html);
        Assert.Contains(">300 → 152<", html); // 150 rounded to the nearest multiple of 8
        var layers = Variable<LeNet300_100>("mlp").named_modules().ToDictionary(m => m.name, m => m.module);
        Assert.Equal(152, ((Linear)layers["fc1"]).out_features);
        Assert.Equal(100, ((Linear)layers["fc2"]).out_features);
    }

    [Fact]
    public async Task Compress_that_falls_short_prints_one_line_saying_how_much_and_why()
    {
        var shown = await Displayed("#!compress model --amount 0.5 --max-fraction 0.25");
        Assert.Contains(shown, v => v.MimeType == "text/html" && v.Value.Contains(">Removed 56 of 113 requested units; 57 could not be:<", StringComparison.Ordinal));
        var line = Assert.Single(shown, v => v.MimeType == "text/plain").Value;
        Assert.Equal("Removed 56 of 113 requested units; 57 could not be: 57 in 'conv1', 'conv2', 'fc1' and 1 more (max fraction 0.25 reached).", line);
    }

    [Fact]
    public async Task Trim_that_keeps_a_dead_unit_prints_one_line_saying_why()
    {
        await DisplayedHtml("#!prune model --amount 6 --structured --dim 0 --layers conv1");
        var shown = await Displayed("#!trim model");
        var line = Assert.Single(shown, v => v.MimeType == "text/plain").Value;
        Assert.Equal("Removed 5 of 6 requested dead units; 1 could not be: 1 in 'conv1' (every unit is dead: one is kept so the layer keeps an output).", line);
    }

    [Fact]
    public async Task Compress_by_a_count_removes_that_many_units_per_layer_with_any_criterion()
    {
        var html = await DisplayedHtml("#!compress mlp --amount 20 --criterion random --seed 1");
        Assert.Contains("LeNet300_100 · compress random 20 units per group local", html);
        var layers = Variable<LeNet300_100>("mlp").named_modules().ToDictionary(m => m.name, m => m.module);
        Assert.Equal(280, ((Linear)layers["fc1"]).out_features);
        Assert.Equal(80, ((Linear)layers["fc2"]).out_features);
    }

    [Fact]
    public async Task Compress_removes_heads_and_mlp_units_of_a_vit_and_refuses_taking_every_head()
    {
        await Kernel.SendAsync(new Microsoft.DotNet.Interactive.Commands.SubmitCode("var vit = new PruneNotebook.Core.Models.TinyViT(dim: 16, depth: 2, heads: 4, mlpHidden: 32, patch: 7);"));
        // The residual stream keeps its width, so the removal falls short and a text line follows the report.
        var shown = await Displayed("#!compress vit --amount 0.5 --heads 1 --criterion l2");
        var html = shown.First(v => v.MimeType == "text/html").Value;
        Assert.Contains("(normalised by LayerNorm 'blocks.0.attention.norm' (the residual stream): allow normalised groups to cut it)", Assert.Single(shown, v => v.MimeType == "text/plain").Value);
        Assert.Contains("TinyViT · compress l2 50 %, 1 head per layer local", html);
        var vit = Variable<TinyViT>("vit");
        Assert.Equal([3L, 3], vit.Blocks.Select(b => b.Attention.Heads));
        Assert.Equal([16L, 16], vit.Blocks.Select(b => b.MlpHidden));
        var error = await FailureMessage("#!compress vit --amount 0 --heads 3");
        Assert.Contains("Removing 3 heads would remove all 3 heads of 'blocks.0.attention.inner': an attention layer must keep at least one; lower --heads.", error);
        Assert.Equal([3L, 3], vit.Blocks.Select(b => b.Attention.Heads));
    }

    [Fact]
    public async Task Drop_layers_ranks_the_candidates()
    {
        await Kernel.SendAsync(new Microsoft.DotNet.Interactive.Commands.SubmitCode("var resnet = new PruneNotebook.Core.Models.ResNet20(blocksPerStage: 2);"));
        var html = await DisplayedHtml("#!drop-layers resnet --count 1 --data samples");
        Assert.Contains("ResNet20 · drop 1 layer", html);
        Assert.Contains("Layers ranked by accuracy when bypassed", html);
        Assert.Contains(">stage1.0<", html);
        Assert.Single(html.Split("✓").Skip(1));
    }

    [Fact]
    public async Task Channels_last_times_both_layouts_and_leaves_the_network_fed_channels_last()
    {
        var result = await Kernel.SendAsync(new Microsoft.DotNet.Interactive.Commands.SubmitCode("#!compress model --amount 0.5 --channels-last"));
        Assert.Empty(result.Events.OfType<Microsoft.DotNet.Interactive.Events.CommandFailed>());
        var shown = result.Events.OfType<Microsoft.DotNet.Interactive.Events.DisplayedValueProduced>().SelectMany(d => d.FormattedValues).ToList();
        Assert.Contains(shown, v => v.MimeType == "text/html" && v.Value.Contains(">Latency, channels-last batch<", StringComparison.Ordinal));
        var note = Assert.Single(shown, v => v.Value.StartsWith("LeNet5 now gets its image batches channels-last (", StringComparison.Ordinal)).Value;
        Assert.Matches(@"\(\d+\.\d\d ms per batch of \d+, against \d+\.\d\d ms NCHW(: no faster for this network on this machine)?\)", note);
        Assert.True(PruneNotebook.Core.Runtime.MemoryLayout.UsesChannelsLast(Variable<LeNet5>("model")));
    }

    [Fact]
    public async Task Fold_bn_folds_the_batchnorms_of_a_resnet_and_shows_before_and_after()
    {
        await Kernel.SendAsync(new Microsoft.DotNet.Interactive.Commands.SubmitCode("var folded = new PruneNotebook.Core.Models.ResNet20(blocksPerStage: 1);"));
        var html = await DisplayedHtml("#!fold-bn folded --data samples");
        Assert.Contains("ResNet20 · fold batchnorm", html);
        Assert.Contains(">BatchNorm2d → folded into stem<", html);
        Assert.Contains("Accuracy", html);
        Assert.DoesNotContain(Variable<PruneNotebook.Core.Models.ResNet20>("folded").modules(), m => m is BatchNorm);
    }

    [Theory]
    [InlineData("#!compress model --amount 0.5 --criterion magic", "Unknown --criterion 'magic': expected l1, l2, ln, random, taylor, apoz, bn, lamp, wanda or sparsegpt")]
    [InlineData("#!compress model --amount 0.5 --criterion taylor", "--criterion taylor measures real data: pass --data <dataset>")]
    [InlineData("#!compress model --amount 0.5 --seed 2", "--seed applies to --criterion random, not l1: drop --seed, or choose random.")]
    [InlineData("#!compress model --amount 1.0", "Compressing would remove all 6 units of 'conv1': lower the amount")]
    [InlineData("#!compress model --amount 7", "amount=7 should be smaller than the number of units of 'conv1'=6")]
    [InlineData("#!compress model --amount 150%", "--amount: amount=1.5 should either be a float in the range [0, 1] or a non-negative integer")]
    [InlineData("#!compress model --amount 0.5 --ignore fc9", "LeNet5 has no layer 'fc9' to ignore")]
    [InlineData("#!compress model --amount 0.5 --round-to eight", "--round-to 'eight' is not a whole number")]
    [InlineData("#!compress convnet --amount 0.5", "The input shape of Sequential is not known: pass one with the batch dimension")]
    [InlineData("#!drop-layers model --count 1 --data samples", "Cannot drop 1 layer(s) of LeNet5: expected 1 to 0")]
    [InlineData("#!trim text", "Variable 'text' is a String, not a TorchSharp module")]
    [InlineData("#!fold-bn model", "LeNet5 has no BatchNorm directly after a convolution or Linear layer: nothing to fold.")]
    [InlineData("#!compress mlp --amount 0.5 --input-shape 1,784 --channels-last", "--channels-last applies to image batches (N, C, H, W); LeNet300_100 takes (1, 784): drop the flag.")]
    public async Task Bad_surgery_input_fails_in_one_line_and_leaves_the_model_unchanged(string code, string expected)
    {
        var before = Variable<LeNet5>("model").named_modules().Select(m => m.module).ToList();
        var message = await FailureMessage(code);
        Assert.Contains(expected, message);
        Assert.Equal(before, Variable<LeNet5>("model").named_modules().Select(m => m.module).ToList());
    }

    private async Task<List<(string MimeType, string Value)>> Displayed(string code)
    {
        var result = await Kernel.SendAsync(new Microsoft.DotNet.Interactive.Commands.SubmitCode(code));
        Assert.Empty(result.Events.OfType<Microsoft.DotNet.Interactive.Events.CommandFailed>());
        return result.Events.OfType<Microsoft.DotNet.Interactive.Events.DisplayedValueProduced>().SelectMany(d => d.FormattedValues).Select(v => (v.MimeType, v.Value)).ToList();
    }
}
