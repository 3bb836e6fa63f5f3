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
    [Fact]
    public void An_n_m_pattern_replaces_the_amount_and_is_reported()
    {
        using var model = PostTrainingReference.Network();
        var report = new PruneRequest("") { NM = "2:4" }.Run(model, ["fc1.weight", "fc2.weight"]);
        Assert.Equal("2:4", report["fc1.weight"].Pattern);
        Assert.Equal(0.5, report["fc2.weight"].Sparsity, 6);
    }

    [Theory]
    [InlineData("0.5", "2:4", null, false, "--amount 0.5 does not apply with --n-m 2:4: the pattern sets the sparsity (50%); drop --amount.")]
    [InlineData("", "2:4", null, true, "--n-m 2:4 prunes single weights in groups along the inputs, not whole units: drop --structured.")]
    [InlineData("", "2:4", "global", false, "--n-m 2:4 applies to every group of every weight alike: drop --scope.")]
    [InlineData("", "4:4", null, false, "--n-m 4:4: expected N:M with 1 ≤ N < M, e.g. 2:4 (keep 2 of every 4).")]
    [InlineData("", null, null, false, "Give --amount (a fraction of what remains, e.g. 0.5, or a count) or --n-m N:M (e.g. 2:4).")]
    public void N_m_options_that_do_not_fit_are_refused(string amount, string? nm, string? scope, bool structured, string expected) =>
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => new PruneRequest(amount) { NM = nm, Scope = scope, Structured = structured }.Check(false)).Message);

    [Theory]
    [InlineData("wanda", "0.5", "global", "--criterion wanda compares weights within each layer, not across layers: use --scope local.")]
    [InlineData("sparsegpt", "0.5", "global", "--criterion sparsegpt compares weights within each layer, not across layers: use --scope local.")]
    [InlineData("wanda", "100", null, "--criterion wanda prunes the same fraction of every output row: give --amount as a fraction (e.g. 0.5), not a count.")]
    public void Post_training_criteria_refuse_what_they_cannot_do_before_anything_is_loaded(string criterion, string amount, string? scope, string expected) =>
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => new PruneRequest(amount) { Criterion = criterion, Scope = scope }.Check(true)).Message);
}
