using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class PrunerTests
{
    private static LeNet5 Seeded(long seed = 0)
    {
        manual_seed(seed);
        return new LeNet5();
    }

    private static Dictionary<string, float[]> Snapshot(nn.Module model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().flatten().data<float>().ToArray());

    [Fact]
    public void Default_targets_are_the_weights_of_linear_and_conv_layers()
    {
        using var model = Seeded();
        Assert.Equal(["conv1.weight", "conv2.weight", "fc1.weight", "fc2.weight", "fc3.weight"], Pruner.DefaultTargets(model));
        Assert.Equal(["conv1.weight", "fc1.weight"], Pruner.WeightsOf(model, ["conv1", " fc1"]));
        Assert.Contains("no layer 'fc9'", Assert.Throws<ArgumentException>(() => Pruner.WeightsOf(model, ["fc9"])).Message);
    }

    [Fact]
    public void Global_pruning_reaches_the_amount_over_all_targets_with_one_threshold()
    {
        using var model = Seeded();
        var targets = Pruner.DefaultTargets(model);
        var before = Snapshot(model);
        var report = Pruner.Unstructured(model, targets, PruningAmount.Of(0.9), new MagnitudeCriterion(1), PruningScope.Global);

        var total = targets.Sum(t => report[t].Count);
        Assert.Equal((long)Math.Round(0.9 * total, MidpointRounding.ToEven), targets.Sum(t => report[t].Zeros));
        // One threshold: every kept weight is at least as large as every pruned one, across layers.
        var kept = targets.SelectMany(t => before[t].Where((_, i) => PruningMasks.Get(model, t)!.flatten()[i].item<float>() == 1)).Min(Math.Abs);
        var pruned = targets.SelectMany(t => before[t].Where((_, i) => PruningMasks.Get(model, t)!.flatten()[i].item<float>() == 0)).Max(Math.Abs);
        Assert.True(kept >= pruned, $"kept {kept} < pruned {pruned}");
        // Layers differ: local pruning would give every layer 90 %, global does not.
        Assert.NotEqual(report["conv1.weight"].Sparsity, report["fc1.weight"].Sparsity, 2);
    }

    [Fact]
    public void Structured_pruning_of_filters_takes_their_bias_along()
    {
        using var model = Seeded();
        var report = Pruner.Structured(model, ["conv2.weight"], PruningAmount.Exactly(4), new MagnitudeCriterion(2), dim: 0);
        Assert.Equal(4, report["conv2.weight"].DeadUnits);
        Assert.Equal(4, report["conv2.bias"].Zeros);
        Assert.True(report["conv2.bias"].Masked);
        var weightMask = PruningMasks.Get(model, "conv2.weight")!;
        var biasMask = PruningMasks.Get(model, "conv2.bias")!;
        var deadFilters = weightMask.reshape(16, -1).sum(1).eq(0);
        Assert.Equal(deadFilters.data<bool>().ToArray(), biasMask.eq(0).data<bool>().ToArray());
    }

    [Fact]
    public void The_pruned_input_columns_show_as_dead_inputs()
    {
        using var model = Seeded();
        var report = Pruner.Structured(model, ["fc1.weight"], PruningAmount.Of(0.25), new MagnitudeCriterion(1), dim: 1);
        Assert.Equal(100, report["fc1.weight"].DeadInputs);
        Assert.Equal(0, report["fc1.weight"].DeadUnits);
        Assert.Equal(0, report["fc1.bias"].Zeros);
    }

    [Fact]
    public void Random_pruning_prunes_the_exact_fraction_and_a_seed_repeats_it()
    {
        long[] Mask(long seed)
        {
            using var model = Seeded();
            using var random = new RandomCriterion(seed);
            var report = Pruner.Unstructured(model, ["fc1.weight"], PruningAmount.Of(0.3), random);
            Assert.Equal(14_400, report["fc1.weight"].Zeros); // 0.3 · 48,000
            return PyTorchReference.MaskOf(PruningMasks.Get(model, "fc1.weight")!);
        }
        Assert.Equal(Mask(5), Mask(5));
        Assert.NotEqual(Mask(5), Mask(6));

        using var structuredModel = Seeded();
        using var structured = new RandomCriterion(1);
        Assert.Equal(30, Pruner.Structured(structuredModel, ["fc1.weight"], PruningAmount.Of(0.25), structured).Parameters.Single(p => p.Name == "fc1.weight").DeadUnits);
    }

    [Fact]
    public void Given_scores_decide_what_goes()
    {
        using var model = Seeded();
        // Scores that favour the first half of fc3's entries: the second half is pruned whatever the weights.
        var scores = cat([ones(420), zeros(420)]).reshape(10, 84);
        Pruner.Unstructured(model, ["fc3.weight"], PruningAmount.Of(0.5), new GivenScoresCriterion(new Dictionary<string, Tensor> { ["fc3.weight"] = scores }));
        Assert.Equal(scores.to_type(ScalarType.Int64).flatten().data<long>().ToArray(), PyTorchReference.MaskOf(PruningMasks.Get(model, "fc3.weight")!));
        Assert.Contains("No importance scores were given for 'fc2.weight'",
            Assert.Throws<ArgumentException>(() => Pruner.Unstructured(model, ["fc2.weight"], PruningAmount.Of(0.5), new GivenScoresCriterion(new Dictionary<string, Tensor>()))).Message);
    }

    [Fact]
    public void A_custom_mask_composes_with_the_existing_one_and_is_validated()
    {
        using var model = Seeded();
        Pruner.Unstructured(model, ["fc3.weight"], PruningAmount.Exactly(10), new MagnitudeCriterion(1));
        var custom = ones(10, 84);
        custom[0] = zeros(84);
        var report = Pruner.ApplyMask(model, "fc3.weight", custom);
        var mask = PruningMasks.Get(model, "fc3.weight")!;
        Assert.Equal(0, mask[0].sum().item<float>());
        Assert.True(report["fc3.weight"].Zeros is >= 84 and <= 94);
        Assert.Contains("only 0 (prune) and 1 (keep)", Assert.Throws<ArgumentException>(() => Pruner.ApplyMask(model, "fc3.weight", full(10, 84, 0.5f))).Message);
        Assert.Contains("has shape (3)", Assert.Throws<ArgumentException>(() => Pruner.ApplyMask(model, "fc3.weight", ones(3))).Message);
    }

    [Fact]
    public void A_failure_while_computing_masks_leaves_the_model_exactly_as_it_was()
    {
        using var model = Seeded();
        Pruner.Unstructured(model, ["fc2.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1));
        var before = Snapshot(model);
        var masksBefore = PruningMasks.Of(model).Select(m => (m.Name, PyTorchReference.MaskOf(m.Mask))).ToList();

        // fc3 has 840 weights: asking for 841 fails after fc2's mask was already computed.
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            Pruner.Unstructured(model, ["fc2.weight", "fc3.weight"], PruningAmount.Exactly(841), new MagnitudeCriterion(1)));
        Assert.Contains("amount=841 should be smaller than the number of parameters to prune=840", e.Message);
        Assert.ThrowsAny<ArgumentException>(() => Pruner.Unstructured(model, ["fc1.weight", "nope.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1)));
        Assert.ThrowsAny<ArgumentException>(() => Pruner.Structured(model, ["fc1.bias"], PruningAmount.Of(0.5), new MagnitudeCriterion(1), dim: 1));

        var after = Snapshot(model);
        foreach (var (name, values) in before)
            Assert.Equal(values, after[name]);
        var masksAfter = PruningMasks.Of(model).Select(m => (m.Name, PyTorchReference.MaskOf(m.Mask))).ToList();
        Assert.Equal(masksBefore.Select(m => m.Name), masksAfter.Select(m => m.Name));
        Assert.Equal(masksBefore.Single().Item2, masksAfter.Single().Item2);
    }

    [Fact]
    public void Making_pruning_permanent_keeps_the_zeros_but_drops_the_mask()
    {
        using var model = Seeded();
        Pruner.Unstructured(model, ["fc1.weight", "fc2.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1));
        Assert.Equal(1, PruningMasks.MakePermanent(model, "fc1.weight"));
        Assert.Null(PruningMasks.Get(model, "fc1.weight"));
        Assert.NotNull(PruningMasks.Get(model, "fc2.weight"));
        var report = SparsityReport.Create(model);
        Assert.Equal(24_000, report["fc1.weight"].Zeros);
        Assert.False(report["fc1.weight"].Masked);
        Assert.Contains("is not pruned", Assert.Throws<InvalidOperationException>(() => PruningMasks.MakePermanent(model, "fc1.weight")).Message);
    }

    [Fact]
    public void Reset_restores_the_pruned_values_and_drops_every_mask()
    {
        using var model = Seeded();
        var before = Snapshot(model);
        Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.8), new MagnitudeCriterion(1), PruningScope.Global);
        Pruner.Unstructured(model, ["fc1.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1));
        Assert.Equal(5, PruningMasks.Reset(model));
        Assert.False(PruningMasks.Any(model));
        var after = Snapshot(model);
        foreach (var (name, values) in before)
            Assert.Equal(values, after[name]);
    }

    [Fact]
    public void Masks_follow_the_model_to_another_device_and_stay_exactly_applied()
    {
        using var model = Seeded();
        Pruner.Unstructured(model, ["fc1.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1));
        model.to(CPU); // replaces the parameters; masks are keyed by module and name
        using (no_grad())
            model.named_parameters().Single(p => p.name == "fc1.weight").parameter.add_(1);
        PruningMasks.Apply(model);
        Assert.Equal(24_000, SparsityReport.Create(model)["fc1.weight"].Zeros);
    }
}
