using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class TrimTests
{
    [Fact]
    public void Trimming_a_pruned_LeNet5_keeps_its_outputs_and_every_kept_weight_bit_for_bit()
    {
        manual_seed(0);
        using var model = new LeNet5();
        Pruner.Structured(model, ["conv1.weight"], PruningAmount.Exactly(2), new MagnitudeCriterion(2));
        Pruner.Structured(model, ["conv2.weight"], PruningAmount.Exactly(6), new MagnitudeCriterion(2));
        Pruner.Structured(model, ["fc1.weight"], PruningAmount.Exactly(40), new MagnitudeCriterion(1));
        Pruner.Structured(model, ["fc2.weight"], PruningAmount.Exactly(4), new MagnitudeCriterion(1), dim: 1); // 4 dead inputs of fc2 = 4 unused fc1 units
        Pruner.Unstructured(model, ["fc3.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1));
        var keptConv2 = PruningMasks.Get(model, "conv2.weight")!.reshape(16, -1).any(1);
        var liveFc1Units = PruningMasks.Get(model, "fc1.weight")!.any(1).logical_and(PruningMasks.Get(model, "fc2.weight")!.any(0)).sum().item<long>();
        var expectedConv2 = model.named_parameters().Single(p => p.name == "conv2.weight").parameter.detach()
            .index_select(0, keptConv2.nonzero().flatten())
            .index_select(1, PruningMasks.Get(model, "conv1.weight")!.reshape(6, -1).any(1).nonzero().flatten()).clone();
        var parametersBefore = model.parameters().Sum(p => p.numel());
        using var input = randn(16, 1, 28, 28, generator: new Generator(1));
        model.eval();
        using var masked = model.call(input);

        var report = NetworkSurgery.Trim(model);

        using var trimmed = model.call(input);
        Assert.True(trimmed.allclose(masked, rtol: 0, atol: 1e-5), $"max difference {(trimmed - masked).abs().max().item<float>()}");
        var weights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal([4L, 1, 5, 5], weights["conv1.weight"].shape);
        Assert.Equal([10L, 4, 5, 5], weights["conv2.weight"].shape);
        Assert.InRange(liveFc1Units, 76, 80);
        Assert.Equal([liveFc1Units, 10 * 25], weights["fc1.weight"].shape);
        Assert.Equal([84L, liveFc1Units], weights["fc2.weight"].shape);
        Assert.Equal(expectedConv2.data<float>().ToArray(), weights["conv2.weight"].detach().data<float>().ToArray());
        Assert.True(model.parameters().Sum(p => p.numel()) < parametersBefore);
        Assert.Equal(parametersBefore, report.Before.Parameters);
        Assert.Equal(model.parameters().Sum(p => p.numel()), report.After.Parameters);
        Assert.True(report.After.Macs < report.Before.Macs);
        Assert.Equal(["conv1", "conv2", "fc1", "fc2"], report.Layers.Select(l => l.Name));
        // The surviving masks moved to the rebuilt layers, shaped like their weights.
        Assert.Equal(weights["fc3.weight"].shape, PruningMasks.Get(model, "fc3.weight")!.shape);
        Assert.Equal(weights["fc1.weight"].shape, PruningMasks.Get(model, "fc1.weight")!.shape);
    }

    [Fact]
    public void Trimming_an_unpruned_network_changes_nothing()
    {
        manual_seed(0);
        using var model = new LeNet300_100();
        var values = ModelState.Values(model);
        var layers = ModelState.Layers(model);
        var report = NetworkSurgery.Trim(model);
        Assert.Empty(report.Layers);
        ModelState.AssertUnchanged(model, values, layers);
    }
}
