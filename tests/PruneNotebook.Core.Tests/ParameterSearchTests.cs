using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Selection;

namespace PruneNotebook.Core.Tests;

public class ParameterSearchTests
{
    [Fact]
    public void Grid_search_evaluates_exactly_the_grid_and_refits_the_best()
    {
        using var data = TabularDatasets.Diabetes();
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        var grid = ParameterGrid.Parse("alpha=0.01,0.1,1,10;l1_ratio=0.2,1");
        var search = new GridSearch(p =>
        {
            seen.Add(ParameterGrid.Format(p));
            return new ElasticNet(p.Double("alpha"), p.Double("l1_ratio"));
        }, grid, cv: new KFold(3));
        using var outcome = search.Fit(data);
        var expected = new[] { 0.01, 0.1, 1, 10 }.SelectMany(a => new[] { 0.2, 1.0 }.Select(r => $"alpha={a:G4}, l1_ratio={r:G4}")).ToArray();
        Assert.Equal(expected, outcome.Result.Trials.Select(t => ParameterGrid.Format(t.Parameters)));
        Assert.Equal(expected.Order().Append(ParameterGrid.Format(outcome.BestParameters)).Order(), seen.Order());   // the grid, then one refit
        Assert.All(outcome.Result.Trials, t => Assert.Equal(3, t.Scores.Count));
        Assert.Equal(outcome.Result.Trials.Max(t => t.Mean), outcome.Result.Best.Mean);
        var refitted = Assert.IsType<LinearModel>(outcome.BestModel);
        Assert.Equal(outcome.BestParameters.Double("alpha"), double.Parse(refitted.Estimator.Split("alpha=")[1].Split(',', ')')[0], System.Globalization.CultureInfo.InvariantCulture), 3);
        Assert.True(outcome.Score(data) > 0.45);
    }

    [Fact]
    public void Random_search_is_reproducible_by_seed_and_draws_within_each_distribution()
    {
        var space = ParameterGrid.ParseSpace("alpha=loguniform(1e-3,10);l1_ratio=uniform(0.1,1);max_iter=int(100,300);fit=choice(yes,no)");
        RandomSearch Search(int seed) => new(p => new ElasticNet(p.Double("alpha"), p.Double("l1_ratio")), space, trials: 12, seed: seed);
        var first = Search(4).Configurations;
        Assert.Equal(first.Select(ParameterGrid.Format), Search(4).Configurations.Select(ParameterGrid.Format));
        Assert.NotEqual(first.Select(ParameterGrid.Format), Search(5).Configurations.Select(ParameterGrid.Format));
        Assert.All(first, p =>
        {
            Assert.InRange(p.Double("alpha"), 1e-3, 10);
            Assert.InRange(p.Double("l1_ratio"), 0.1, 1);
            Assert.InRange((int)p["max_iter"], 100, 300);
            Assert.Contains((string)p["fit"], new[] { "yes", "no" });
        });
        using var data = TabularDatasets.Diabetes();
        using var a = Search(4).Fit(data);
        using var b = Search(4).Fit(data);
        Assert.Equal(a.Result.Trials.Select(t => t.Mean), b.Result.Trials.Select(t => t.Mean));
    }

    [Fact]
    public void Bad_search_specifications_say_what_was_expected()
    {
        Assert.Contains("expected e.g. lr=1e-3,1e-2;wd=0,1e-4", Assert.Throws<FormatException>(() => ParameterGrid.Parse("lr")).Message);
        Assert.Contains("needs 0 < low < high", Assert.Throws<FormatException>(() => ParameterGrid.ParseSpace("lr=loguniform(0,1)")).Message);
        Assert.Contains("Unknown distribution", Assert.Throws<FormatException>(() => ParameterGrid.ParseSpace("lr=normal(0,1)")).Message);
    }

    [Fact]
    public void Successive_halving_keeps_a_third_of_the_candidates_on_three_times_the_budget()
    {
        using var data = TabularDatasets.Iris();
        var candidates = ParameterGrid.Expand(ParameterGrid.Parse("C=0.001,0.01,0.1,1,10,100,1000,0.3,3"));
        var halving = new SuccessiveHalving(p => new LogisticRegression(p.Double("C"), maxIterations: p.Int("max_iter")), candidates, "max_iter", 1, factor: 3);
        using var outcome = halving.Fit(data);
        var rounds = outcome.Result.Trials.GroupBy(t => t.Round).ToArray();
        Assert.Equal([9, 3, 1], rounds.Select(r => r.Count()));
        Assert.Equal([1.0, 3.0, 9.0], rounds.Select(r => r.First().Resource!.Value));
        // Survivors are the best of the previous round.
        var best3 = rounds[0].OrderByDescending(t => t.Mean).ThenBy(t => t.Index).Take(3).Select(t => t.Parameters.Double("C")).Order();
        Assert.Equal(best3, rounds[1].Select(t => t.Parameters.Double("C")).Order());
        Assert.Equal(2, outcome.Result.Best.Round);
    }

    [Fact]
    public void Parallel_trials_give_the_same_scores_as_sequential_ones()
    {
        using var data = TabularDatasets.Wine();
        var options = new TrainerOptions(Epochs: 3, BatchSize: 32, LearningRate: 1e-2);
        var grid = ParameterGrid.Parse("hidden=8,16");
        GridSearch Search(int parallelism) => new(p => NetworkEstimator.Mlp([p.Int("hidden")], options, seed: 1), grid, cv: new StratifiedKFold(3), parallelism: parallelism, refit: false);
        using var sequential = Search(1).Fit(data);
        using var parallel = Search(2).Fit(data);
        Assert.Equal(sequential.Result.Trials.Select(t => t.Scores), parallel.Result.Trials.Select(t => t.Scores));
        Assert.Null(parallel.BestModel);
    }
}
