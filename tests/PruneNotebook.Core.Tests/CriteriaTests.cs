using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Surgery;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class CriteriaTests
{
    [Fact]
    public void Every_built_in_criterion_is_registered_with_what_it_scores()
    {
        Assert.Equal(["l1", "l2", "ln", "random", "taylor", "apoz", "bn"], Criteria.Names.Take(7));
        Assert.Equal("weights, units, groups", Criteria.Get("l1").Scores);
        Assert.Equal("output units, groups", Criteria.Get("bn").Scores);
        Assert.Equal(["taylor", "apoz", "wanda", "sparsegpt"], Criteria.All.Where(c => c.NeedsData).Select(c => c.Name));
        Assert.Equal(["n"], Criteria.Get("ln").Parameters.Select(p => p.Name));
        Assert.Equal(["seed"], Criteria.Get("random").Parameters.Select(p => p.Name));
        Assert.Equal("l1", Criteria.Get(null).Name);
    }

    [Theory]
    [InlineData("l1", null, "l1")]
    [InlineData("l2", null, "l2")]
    [InlineData("ln", null, "l2")]
    [InlineData("ln", "3", "l3")]
    [InlineData("ln", "inf", "linf")]
    [InlineData("LN", "1", "l1")]
    public void Magnitude_names_say_which_norm_they_take(string name, string? n, string expected)
    {
        var criterion = Criteria.Create(name, n is null ? null : new Dictionary<string, string> { ["n"] = n });
        Assert.Equal(expected, Assert.IsType<MagnitudeCriterion>(criterion).Name);
    }

    [Theory]
    [InlineData("magic", null, null, null, "Unknown --criterion 'magic': expected l1, l2, ln, random, taylor, apoz")] // then bn, and what tests register
    [InlineData("l1", "seed=1", null, null, "--seed applies to --criterion random, not l1: drop --seed, or choose random.")]
    [InlineData("random", "n=3", null, null, "--n applies to --criterion ln, not random: drop --n, or choose ln.")]
    [InlineData("l1", "alpha=1", null, null, "No criterion takes --alpha: drop it.")]
    [InlineData("ln", "n=one", null, null, "--n 'one' is not a number.")]
    [InlineData("random", "seed=0.5", null, null, "--seed '0.5' is not a whole number.")]
    [InlineData("taylor", null, null, false, "--criterion taylor measures real data: pass --data <dataset>.")]
    [InlineData("apoz", null, CriterionUse.Entries, true,
        "--criterion apoz scores whole units, not single weights: prune structured (--structured) with it, or choose l1, l2, ln, random, taylor, lamp, wanda")] // then sparsegpt, and what tests register
    public void Bad_choices_are_refused_in_one_line_that_says_what_to_do(string name, string? argument, CriterionUse? use, bool? dataGiven, string expected)
    {
        var arguments = argument?.Split('=') is [var key, var value] ? new Dictionary<string, string> { [key] = value } : null;
        var message = Assert.ThrowsAny<ArgumentException>(() => Criteria.Create(name, arguments, use, dataGiven)).Message;
        Assert.StartsWith(expected, message);
    }

    [Fact]
    public void A_norm_order_below_one_is_refused_by_the_criterion()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Criteria.Create("ln", new Dictionary<string, string> { ["n"] = "0.5" }));
        Assert.StartsWith("The norm order n must be at least 1 (or inf), got 0.5.", error.Message);
    }

    [Fact]
    public void A_criterion_registered_with_one_line_prunes_masks_and_compresses_by_name()
    {
        // The registry is process-wide: the name stays registered for the other tests, which do not list every name.
        Criteria.Register("test-first-units", "keeps the last units (a test criterion)", _ => new FirstUnitsFirst());
        Assert.Contains("test-first-units", Criteria.Names);
        Assert.Equal("units, groups", Criteria.Get("test-first-units").Scores);

        manual_seed(0);
        using var masked = new LeNet300_100();
        new PruneRequest("10") { Criterion = "test-first-units", Structured = true }.Run(masked, ["fc2.weight"]);
        var mask = PruningMasks.Get(masked, "fc2.weight")!;
        Assert.Equal(Enumerable.Range(0, 100).Select(u => u < 10 ? 0f : 1f), mask.sum(1).gt(0).to_type(ScalarType.Float32).data<float>().ToArray());

        manual_seed(0);
        using var compressed = new LeNet300_100();
        var kept = compressed.named_parameters().Single(p => p.name == "fc2.bias").parameter.detach()[20..].clone();
        NetworkSurgery.Compress(compressed, new CompressionOptions(PruningAmount.Exactly(20)), Criteria.Create("test-first-units"),
            measurement: new SurgeryMeasurement(LatencyBatch: 4, LatencyRepeats: 1));
        Assert.Equal(kept.data<float>().ToArray(), compressed.named_parameters().Single(p => p.name == "fc2.bias").parameter.detach().data<float>().ToArray());

        var error = Assert.Throws<ArgumentException>(() => new PruneRequest("10") { Criterion = "test-first-units" }.Run(masked, ["fc2.weight"]));
        Assert.StartsWith("--criterion test-first-units scores whole units, not single weights", error.Message);
    }

    /// <summary>Unit u scores u: the first units go first.</summary>
    private sealed class FirstUnitsFirst : IUnitCriterion
    {
        public string Name => "test-first-units";

        public Tensor ScoreUnits(Tensor parameter, string name, int dim, ScoringContext context) =>
            arange(parameter.shape[dim], dtype: ScalarType.Float32, device: parameter.device);
    }
}
