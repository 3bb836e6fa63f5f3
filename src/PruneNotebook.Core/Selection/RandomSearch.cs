using System.Diagnostics;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Random search (scikit-learn's <c>RandomizedSearchCV</c>): <paramref name="trials"/> configurations drawn from the
/// distributions with a generator seeded by <paramref name="seed"/> (the same seed draws the same configurations), each
/// cross-validated on the same folds; the best is refitted on all rows.
/// </summary>
/// <param name="factory">Builds an estimator from one configuration.</param>
/// <param name="space">Parameter names with their distributions (see <see cref="ParameterGrid.ParseSpace"/>).</param>
/// <param name="trials">Configurations to draw (≥ 1).</param>
/// <param name="seed">Seeds the draws.</param>
/// <param name="cv">The folds; default <see cref="CrossValidation.DefaultSplitter"/>.</param>
/// <param name="parallelism">Trials evaluated at once.</param>
/// <param name="refit">Refit the best configuration on all rows.</param>
/// <param name="sweep">Run each configuration as a trial in worker processes or a Slurm job array (the factory must then come from <see cref="EstimatorRecipes.Factory"/>); <c>null</c> runs them here.</param>
public sealed class RandomSearch(Func<IReadOnlyDictionary<string, object>, IEstimator> factory, IReadOnlyList<KeyValuePair<string, ParameterDistribution>> space,
    int trials = 10, int seed = 0, ISplitter? cv = null, int parallelism = 1, bool refit = true, SweepExecution? sweep = null)
{
    /// <summary>The configurations this search draws, in order (reproducible by seed).</summary>
    /// <exception cref="ArgumentException">The space is empty or trials is below 1.</exception>
    public IReadOnlyList<IReadOnlyDictionary<string, object>> Configurations => Draw(space, trials, seed);

    /// <summary>Draws <paramref name="count"/> configurations from <paramref name="space"/>, parameters drawn in order.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, object>> Draw(IReadOnlyList<KeyValuePair<string, ParameterDistribution>> space, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (space.Count == 0)
            throw new ArgumentException("The search space is empty: expected e.g. lr=loguniform(1e-4,1e-1).", nameof(space));
        if (count < 1)
            throw new ArgumentException($"A random search needs at least 1 trial, got {count}.", nameof(count));
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => (IReadOnlyDictionary<string, object>)space.ToDictionary(p => p.Key, p => p.Value.Sample(random)))
            .ToList();
    }

    /// <summary>Runs the search on <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The space is empty, the folds do not fit the data, or an estimator rejects a configuration.</exception>
    public SearchOutcome Fit(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var watch = Stopwatch.StartNew();
        var configurations = Configurations;
        using var runner = new SearchRunner(factory, data, cv ?? CrossValidation.DefaultSplitter(data), parallelism, sweep, "random search");
        var results = runner.Evaluate(configurations);
        var best = results.Select((t, i) => (t.Mean, i)).OrderByDescending(p => p.Mean).ThenBy(p => p.i).First().i;
        return runner.Finish($"random search ({trials} trials, seed {seed}){runner.Where}", data, results, best, watch, refit);
    }
}
