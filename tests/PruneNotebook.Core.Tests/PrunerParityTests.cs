using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>Masks equal those of PyTorch 1.13's torch.nn.utils.prune, mask for mask (tests/reference/pytorch_pruning_reference.py).</summary>
public class PrunerParityTests
{
    private static void AssertMasksEqualPyTorch(string caseName, Action<PyTorchReference.FcConv> prune)
    {
        var reference = PyTorchReference.Case(caseName);
        using var model = PyTorchReference.Model(reference);
        prune(model);
        foreach (var expected in reference.GetProperty("masks").EnumerateObject())
        {
            var mask = PruningMasks.Get(model, expected.Name);
            Assert.NotNull(mask);
            Assert.Equal(PyTorchReference.Longs(expected.Value), PyTorchReference.MaskOf(mask!));
        }
        // The weights hold exact zeros where the mask is zero and are unchanged elsewhere.
        foreach (var (name, mask) in PruningMasks.Of(model))
        {
            var weight = model.named_parameters().Single(p => p.name == name).parameter;
            Assert.Equal(0, weight.masked_select(mask.eq(0)).abs().sum().item<float>());
        }
    }

    [Fact]
    public void L1_unstructured_by_fraction_matches_pytorch() =>
        AssertMasksEqualPyTorch("l1_unstructured_fraction",
            m => Pruner.Unstructured(m, ["fc.weight"], PruningAmount.Of(0.3), new MagnitudeCriterion(1)));

    [Fact]
    public void L1_unstructured_by_count_matches_pytorch() =>
        AssertMasksEqualPyTorch("l1_unstructured_count",
            m => Pruner.Unstructured(m, ["conv.weight"], PruningAmount.Exactly(37), new MagnitudeCriterion(1)));

    [Fact]
    public void Pruning_twice_composes_like_pytorch()
    {
        AssertMasksEqualPyTorch("l1_unstructured_twice_composes", m =>
        {
            Pruner.Unstructured(m, ["fc.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1));
            var report = Pruner.Unstructured(m, ["fc.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1));
            Assert.Equal(90, report["fc.weight"].Zeros); // 60 of 120, then 30 of the remaining 60
        });
    }

    [Fact]
    public void L2_structured_along_dim_0_matches_pytorch() =>
        AssertMasksEqualPyTorch("ln_structured_dim0_l2",
            m => Pruner.Structured(m, ["conv.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(2), dim: 0));

    [Fact]
    public void L1_structured_along_dim_1_matches_pytorch() =>
        AssertMasksEqualPyTorch("ln_structured_dim1_l1",
            m => Pruner.Structured(m, ["fc.weight"], PruningAmount.Of(0.34), new MagnitudeCriterion(1), dim: 1));

    [Fact]
    public void Linf_structured_by_count_along_conv_input_channels_matches_pytorch() =>
        AssertMasksEqualPyTorch("ln_structured_dim1_conv_linf",
            m => Pruner.Structured(m, ["conv.weight"], PruningAmount.Exactly(1), new MagnitudeCriterion(double.PositiveInfinity), dim: 1));

    [Fact]
    public void Global_unstructured_matches_pytorch() =>
        AssertMasksEqualPyTorch("global_unstructured",
            m => Pruner.Unstructured(m, ["fc.weight", "conv.weight"], PruningAmount.Of(0.6), new MagnitudeCriterion(1), PruningScope.Global));

    [Fact]
    public void Global_pruning_after_local_pruning_counts_only_what_remains_like_pytorch() =>
        AssertMasksEqualPyTorch("global_after_local", m =>
        {
            Pruner.Unstructured(m, ["fc.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1));
            Pruner.Unstructured(m, ["fc.weight", "conv.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1), PruningScope.Global);
        });

    [Fact]
    public void Fractions_round_half_to_even_like_python()
    {
        foreach (var row in PyTorchReference.Root.GetProperty("roundings").EnumerateArray())
        {
            var size = row.GetProperty("size").GetInt64();
            var amount = PruningAmount.Of(row.GetProperty("amount").GetDouble());
            Assert.Equal(row.GetProperty("pruned").GetInt64(), amount.Resolve(size));
        }
    }

    [Fact]
    public void With_tied_scores_exactly_k_entries_are_pruned_and_only_the_lowest()
    {
        var ties = PyTorchReference.Root.GetProperty("ties");
        var values = PyTorchReference.Floats(ties.GetProperty("values"));
        foreach (var result in ties.GetProperty("results").EnumerateArray())
        {
            using var model = new PyTorchReference.FcConv();
            var weight = model.named_parameters().Single(p => p.name == "fc.weight").parameter;
            using (no_grad())
                weight.copy_(tensor(values, [10, 12]));
            var amount = PruningAmount.Parse(result.GetProperty("amount").GetString()!);
            Pruner.Unstructured(model, ["fc.weight"], amount, new MagnitudeCriterion(1));
            var mask = PyTorchReference.MaskOf(PruningMasks.Get(model, "fc.weight")!);
            var expectedPruned = result.GetProperty("pruned").GetInt64();
            Assert.Equal(expectedPruned, mask.Count(v => v == 0));

            // Same threshold as PyTorch: every value below it pruned, none above it.
            var pytorch = PyTorchReference.Longs(result.GetProperty("mask"));
            var threshold = values.Where((_, i) => pytorch[i] == 0).Max();
            for (var i = 0; i < values.Length; i++)
            {
                if (Math.Abs(values[i]) < threshold)
                    Assert.Equal(0, mask[i]);
                if (Math.Abs(values[i]) > threshold)
                    Assert.Equal(1, mask[i]);
            }
            // Our tie rule: among tied entries the lowest indices go first.
            var tiedPruned = Enumerable.Range(0, values.Length).Where(i => Math.Abs(values[i]) == threshold && mask[i] == 0).ToArray();
            var tiedAll = Enumerable.Range(0, values.Length).Where(i => Math.Abs(values[i]) == threshold).ToArray();
            Assert.Equal(tiedAll.Take(tiedPruned.Length), tiedPruned);
        }
    }

    [Fact]
    public void Invalid_amounts_fail_with_pytorchs_messages()
    {
        var errors = PyTorchReference.Root.GetProperty("errors");
        Assert.Contains(errors.GetProperty("negative").GetString()!, Assert.ThrowsAny<ArgumentException>(() => PruningAmount.Of(-0.1)).Message);
        Assert.Contains(errors.GetProperty("above_one").GetString()!, Assert.ThrowsAny<ArgumentException>(() => PruningAmount.Of(1.5)).Message);
        Assert.Contains(errors.GetProperty("negative_count").GetString()!, Assert.ThrowsAny<ArgumentException>(() => PruningAmount.Exactly(-3)).Message);
        Assert.Contains(errors.GetProperty("count_too_large").GetString()!, Assert.ThrowsAny<ArgumentException>(() => PruningAmount.Exactly(100).Resolve(48)).Message);
        Assert.Contains("is not a number", Assert.Throws<FormatException>(() => PruningAmount.Parse("lots")).Message);
    }
}
