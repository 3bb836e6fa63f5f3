using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class PruneRequestTests
{
    private static LeNet5 Seeded()
    {
        manual_seed(0);
        return new LeNet5();
    }

    [Fact]
    public void The_defaults_are_l1_local_and_unstructured()
    {
        using var model = Seeded();
        using var reference = Seeded();
        var report = new PruneRequest("0.9").Run(model, Pruner.DefaultTargets(model));
        Pruner.Unstructured(reference, Pruner.DefaultTargets(reference), PruningAmount.Of(0.9), new MagnitudeCriterion(1), PruningScope.Local);
        foreach (var (name, mask) in PruningMasks.Of(reference))
            Assert.Equal(PyTorchReference.MaskOf(mask), PyTorchReference.MaskOf(PruningMasks.Get(model, name)!));
        Assert.Equal(Math.Round(0.9 * 150, MidpointRounding.ToEven), report["conv1.weight"].Zeros); // each layer loses 90 %
    }

    [Fact]
    public void A_norm_order_and_a_dimension_reach_structured_pruning()
    {
        using var model = Seeded();
        using var reference = Seeded();
        new PruneRequest("3") { Criterion = "ln", Structured = true, Dim = "1", Arguments = new Dictionary<string, string> { ["n"] = "3" } }.Run(model, ["fc2.weight"]);
        Pruner.Structured(reference, ["fc2.weight"], PruningAmount.Exactly(3), new MagnitudeCriterion(3), dim: 1);
        Assert.Equal(PyTorchReference.MaskOf(PruningMasks.Get(reference, "fc2.weight")!), PyTorchReference.MaskOf(PruningMasks.Get(model, "fc2.weight")!));
        Assert.Equal(3, SparsityReport.Create(model)["fc2.weight"].DeadInputs);
    }

    [Theory]
    [InlineData("0.5", null, false, "1", null, "--dim 1 applies to whole units: add --structured, or drop --dim.")]
    [InlineData("0.5", "l1", true, null, "n=2", "--n applies to --criterion ln, not l1: drop --n, or choose ln.")]
    [InlineData("0.5", null, false, null, "seed=3", "--seed applies to --criterion random, not l1: drop --seed, or choose random.")]
    [InlineData("0.5", "bn", false, null, null, "--criterion bn scores whole units, not single weights: prune structured (--structured) with it")]
    [InlineData("0.5", "taylor", false, null, null, "--criterion taylor measures real data: pass --data <dataset>.")]
    [InlineData("1.5", null, false, null, null, "--amount: amount=1.5 should either be a float in the range [0, 1] or a non-negative integer.")]
    [InlineData("lots", null, false, null, null, "--amount: amount='lots' is not a number")]
    [InlineData("0.5", null, true, "x", null, "--dim 'x' is not a whole number.")]
    public void Options_that_would_be_ignored_or_do_not_fit_are_refused_before_anything_changes(string amount, string? criterion, bool structured, string? dim, string? argument, string expected)
    {
        using var model = Seeded();
        var request = new PruneRequest(amount)
        {
            Criterion = criterion,
            Structured = structured,
            Dim = dim,
            Arguments = argument?.Split('=') is [var key, var value] ? new Dictionary<string, string> { [key] = value } : null,
        };
        Assert.StartsWith(expected, Assert.ThrowsAny<ArgumentException>(() => request.Run(model, ["fc1.weight"])).Message);
        Assert.StartsWith(expected, Assert.ThrowsAny<ArgumentException>(() => request.Check(dataGiven: false)).Message);
        Assert.False(PruningMasks.Any(model));
    }

    [Fact]
    public void Data_for_a_criterion_that_does_not_measure_on_data_is_refused()
    {
        using var model = Seeded();
        using var data = new TensorDataset(randn([4, 1, 28, 28]), randint(10, [4]));
        Assert.Equal("--data is used only by criteria that measure on data (taylor, apoz, wanda, sparsegpt), not random: drop --data.",
            Assert.Throws<ArgumentException>(() => new PruneRequest("0.5") { Criterion = "random" }.Run(model, ["fc1.weight"], data)).Message);
        Assert.Equal(PruningScope.Global, PruneRequest.ParseScope(" Global "));
        Assert.Equal("Unknown --scope 'galactic': expected local or global.", Assert.Throws<ArgumentException>(() => PruneRequest.ParseScope("galactic")).Message);
    }
}
