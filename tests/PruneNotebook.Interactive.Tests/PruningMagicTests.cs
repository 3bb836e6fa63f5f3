using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Interactive.Tests;

[Collection(KernelCollection.Name)]
public sealed class PruningMagicTests : KernelTestBase
{
    [Fact]
    public async Task Prune_globally_shows_the_sparsity_report_and_masks_the_model()
    {
        var html = await DisplayedHtml("#!prune model --amount 0.9 --scope global");
        Assert.Contains("conv1.weight", html);
        Assert.Contains(">55,323<", html); // round(0.9 · 61,470) weights of conv1..fc3
        var model = Variable<LeNet5>("model");
        var report = SparsityReport.Create(model);
        var targets = Pruner.DefaultTargets(model);
        Assert.Equal(Math.Round(0.9 * 61_470), targets.Sum(t => report[t].Zeros));
        Assert.All(targets, t => Assert.True(report[t].Masked));
    }

    [Fact]
    public async Task Prune_structured_filters_of_the_named_layers()
    {
        await DisplayedHtml("#!prune model --amount 0.5 --structured --dim 0 --criterion ln --n 2 --layers conv2");
        var report = SparsityReport.Create(Variable<LeNet5>("model"));
        Assert.Equal(8, report["conv2.weight"].DeadUnits);
        Assert.Equal(8, report["conv2.bias"].Zeros);
        Assert.Equal(0, report["conv1.weight"].Zeros);
    }

    [Fact]
    public async Task Prune_random_by_count_is_seeded()
    {
        await DisplayedHtml("#!prune mlp --amount 1000 --criterion random --seed 3 --layers fc1");
        Assert.Equal(1000, SparsityReport.Create(Variable<LeNet300_100>("mlp"))["fc1.weight"].Zeros);
    }

    [Fact]
    public void Prune_offers_every_registered_criterion()
    {
        Assert.Equal(PruneNotebook.Core.Scoring.Criteria.Names, ["l1", "l2", "ln", "random", "taylor", "apoz", "bn", "lamp", "wanda", "sparsegpt"]);
    }

    [Fact]
    public async Task Prune_by_default_takes_the_amount_from_each_layer()
    {
        await DisplayedHtml("#!prune model --amount 0.5");
        var report = SparsityReport.Create(Variable<LeNet5>("model"));
        Assert.All(Pruner.DefaultTargets(Variable<LeNet5>("model")), t => Assert.Equal(Math.Round(0.5 * report[t].Count, MidpointRounding.ToEven), report[t].Zeros));
    }

    [Fact]
    public async Task Prune_structured_by_Taylor_measures_the_data_given()
    {
        await DisplayedHtml("#!prune mlp --amount 10 --structured --criterion taylor --data samples --layers fc1");
        Assert.Equal(10, SparsityReport.Create(Variable<LeNet300_100>("mlp"))["fc1.weight"].DeadUnits);
    }

    [Theory]
    [InlineData("#!prune model --amount 1.5", "amount=1.5 should either be a float in the range [0, 1] or a non-negative integer")]
    [InlineData("#!prune model --amount lots", "is not a number")]
    [InlineData("#!prune model --amount 100000 --layers fc3", "amount=100000 should be smaller than the number of parameters to prune=840")]
    [InlineData("#!prune model --amount 0.5 --criterion magic", "Unknown --criterion 'magic': expected l1, l2, ln, random, taylor, apoz, bn, lamp, wanda or sparsegpt")]
    [InlineData("#!prune model --amount 0.5 --method l1", "Unrecognized parameter name '--method'")]
    [InlineData("#!prune model --amount 0.5 --dim 1", "--dim 1 applies to whole units: add --structured, or drop --dim.")]
    [InlineData("#!prune model --amount 0.5 --n 3", "--n applies to --criterion ln, not l1: drop --n, or choose ln.")]
    [InlineData("#!prune model --amount 0.5 --criterion l2 --seed 3", "--seed applies to --criterion random, not l2: drop --seed, or choose random.")]
    [InlineData("#!prune model --amount 0.5 --criterion taylor", "--criterion taylor measures real data: pass --data <dataset>.")]
    [InlineData("#!prune model --amount 0.5 --data samples", "--data is used only by criteria that measure on data (taylor, apoz, wanda, sparsegpt), not l1: drop --data.")]
    [InlineData("#!prune model --amount 0.5 --criterion bn", "--criterion bn scores whole units, not single weights: prune structured (--structured) with it")]
    [InlineData("#!prune model --amount 0.5 --criterion bn --structured --layers conv1", "The bn criterion has no score for the units of 'conv1.weight'")]
    [InlineData("#!prune model --amount 0.5 --scope galactic", "Unknown --scope 'galactic': expected local or global")]
    [InlineData("#!prune model --amount 0.5 --layers fc9", "LeNet5 has no layer 'fc9' with a weight: expected one of conv1, conv2, fc1, fc2, fc3")]
    [InlineData("#!prune model --amount 0.5 --structured --dim 7", "has no dimension 7")]
    [InlineData("#!prune text --amount 0.5", "Variable 'text' is a String, not a TorchSharp module")]
    public async Task Bad_prune_input_fails_in_one_line_and_leaves_the_model_unchanged(string code, string expected)
    {
        var message = await FailureMessage(code);
        Assert.Contains(expected, message);
        Assert.Equal(0, SparsityReport.Create(Variable<LeNet5>("model")).Zeros);
        Assert.False(PruningMasks.Any(Variable<LeNet5>("model")));
    }

    [Fact]
    public async Task Sparsity_shows_a_map_per_weight_and_the_kept_fraction()
    {
        await DisplayedHtml("#!prune mlp --amount 0.5 --layers fc1");
        var html = await DisplayedHtml("#!sparsity mlp");
        Assert.Contains("fc1.weight: 300×784, 50.0 % kept", html);
        Assert.Contains("kept fraction per layer", html);
        Assert.Contains("\"type\":\"heatmap\"", html);
    }

    [Fact]
    public async Task Sensitivity_charts_each_layer_and_restores_the_model()
    {
        var before = Variable<LeNet5>("model").named_parameters().Select(p => p.parameter.sum().item<float>()).ToArray();
        var html = await DisplayedHtml("#!sensitivity model --data samples --amounts 0.5,0.9 --layers conv1,fc3");
        Assert.Contains("conv1.weight", html);
        Assert.Contains("fc3.weight", html);
        Assert.Equal(before, Variable<LeNet5>("model").named_parameters().Select(p => p.parameter.sum().item<float>()).ToArray());
        Assert.Contains("not a dataset", await FailureMessage("#!sensitivity model --data text"));
        Assert.Contains("must be sparsities in [0, 1]", await FailureMessage("#!sensitivity model --data samples --amounts 2"));
        Assert.Contains("--criterion apoz scores whole units, not single weights", await FailureMessage("#!sensitivity model --data samples --criterion apoz"));
        Assert.Contains("fc3.weight", await DisplayedHtml("#!sensitivity model --data samples --amounts 0.5 --criterion random --seed 1 --layers fc3"));
    }
}
