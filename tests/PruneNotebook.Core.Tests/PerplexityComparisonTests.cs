using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>One-shot pruning of a next-token model by several criteria, measured by validation perplexity.</summary>
public class PerplexityComparisonTests
{
    [Fact]
    public void Each_criterion_and_setting_is_measured_on_the_unpruned_model_which_is_left_as_it_was()
    {
        manual_seed(3);
        using var model = new CharGpt(context: 8, dim: 16, depth: 1, heads: 2, mlpHidden: 32);
        using var windows = RandomWindows(40, seed: 4);
        using var calibration = windows.Subset(arange(0, 16));
        using var validation = windows.Subset(arange(16, 40));
        var before = model.parameters().Select(p => p.detach().clone()).ToList();
        var targets = Pruner.DefaultTargets(model).Where(t => t.StartsWith("blocks.", StringComparison.Ordinal)).ToList();

        var comparison = PerplexityComparison.Measure(model, targets, ["0.5", "2:4"], ["l1", "wanda", "sparsegpt"], calibration, validation);

        Assert.Equal(6, comparison.Entries.Count);
        Assert.Equal(["0.5", "0.5", "0.5", "2:4", "2:4", "2:4"], comparison.Entries.Select(e => e.Setting));
        Assert.Equal(["l1", "wanda", "sparsegpt", "l1", "wanda", "sparsegpt"], comparison.Entries.Select(e => e.Criterion));
        Assert.False(PruningMasks.Any(model));
        Assert.All(model.parameters().Zip(before), p => Assert.True(p.First.eq(p.Second).all().item<bool>()));
        Assert.Equal(LanguageModelTraining.Evaluate(model, validation).Perplexity, comparison.DensePerplexity, 9);

        // Each figure is the one a plain pruning call gives.
        Pruner.SemiStructured(model, targets, new NmSparsity(2, 4), new WandaCriterion(), calibration);
        Assert.Equal(LanguageModelTraining.Evaluate(model, validation).Perplexity, comparison.Of("2:4", "wanda"), 6);
        Assert.Contains("measured", Assert.Throws<ArgumentException>(() => comparison.Of("0.7", "l1")).Message);
        Assert.Contains("pruned already", Assert.Throws<ArgumentException>(() =>
            PerplexityComparison.Measure(model, targets, ["0.5"], ["l1"], calibration, validation)).Message);
    }

    [Fact]
    public void Named_criteria_use_every_calibration_window_given_and_made_ones_keep_their_own_arguments()
    {
        manual_seed(5);
        using var model = new CharGpt(context: 8, dim: 16, depth: 1, heads: 2, mlpHidden: 32);
        using var windows = RandomWindows(260, seed: 6);
        using var calibration = windows.Subset(arange(0, 200));   // more than the criteria's default of 128
        using var validation = windows.Subset(arange(200, 260));
        var targets = Pruner.DefaultTargets(model).Where(t => t.StartsWith("blocks.", StringComparison.Ordinal)).ToList();

        var named = PerplexityComparison.Measure(model, targets, ["0.5"], ["wanda"], calibration, validation);
        var made = PerplexityComparison.Measure(model, targets, ["0.5"], [new WandaCriterion(samples: 128)], calibration, validation);

        Pruner.Unstructured(model, targets, PruningAmount.Parse("0.5"), new WandaCriterion(samples: 200), data: calibration);
        var all = LanguageModelTraining.Evaluate(model, validation).Perplexity;
        PruningMasks.Reset(model);
        Pruner.Unstructured(model, targets, PruningAmount.Parse("0.5"), new WandaCriterion(samples: 128), data: calibration);
        var first128 = LanguageModelTraining.Evaluate(model, validation).Perplexity;
        Assert.NotEqual(all, first128, 6);
        Assert.Equal(all, named.Of("0.5", "wanda"), 6);
        Assert.Equal(first128, made.Of("0.5", "wanda"), 6);
    }

    /// <summary>Random 8-character windows of the 96-character vocabulary, each with its next-character targets.</summary>
    private static TensorDataset RandomWindows(int count, ulong seed)
    {
        using var generator = new Generator(seed);
        using var tokens = randint(96, [count, 9], generator: generator);
        return new TensorDataset(tokens.narrow(1, 0, 8), tokens.narrow(1, 1, 8));
    }
}
