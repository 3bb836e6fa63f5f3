using System.Diagnostics;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Exhaustive search over a hyperparameter grid (scikit-learn's <c>GridSearchCV</c>): every combination is cross-validated
/// on the same folds (features standardized per fold), the best mean score wins (the first among ties) and is refitted on all rows.
/// </summary>
/// <param name="factory">Builds an estimator from one configuration, e.g. <c>p =&gt; new Lasso(p.Double("alpha"))</c>.</param>
/// <param name="grid">Parameter names with their values (see <see cref="ParameterGrid.Parse"/>).</param>
/// <param name="cv">The folds; default <see cref="CrossValidation.DefaultSplitter"/>.</param>
/// <param name="parallelism">Trials evaluated at once (≥ 1).</param>
/// <param name="refit">Refit the best configuration on all rows.</param>
/// <param name="sweep">Run each configuration as a trial in worker processes or a Slurm job array (the factory must then come from <see cref="EstimatorRecipes.Factory"/>); <c>null</c> runs them here.</param>
public sealed class GridSearch(Func<IReadOnlyDictionary<string, object>, IEstimator> factory, IReadOnlyList<KeyValuePair<string, IReadOnlyList<object>>> grid,
    ISplitter? cv = null, int parallelism = 1, bool refit = true, SweepExecution? sweep = null)
{
    /// <summary>The configurations the search evaluates, in order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object>> Configurations => ParameterGrid.Expand(grid);

    /// <summary>Runs the search on <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The grid is empty, the folds do not fit the data, or an estimator rejects a configuration.</exception>
    public SearchOutcome Fit(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var watch = Stopwatch.StartNew();
        var configurations = Configurations;
        using var runner = new SearchRunner(factory, data, cv ?? CrossValidation.DefaultSplitter(data), parallelism, sweep, "grid search");
        var trials = runner.Evaluate(configurations);
        var best = trials.Select((t, i) => (t.Mean, i)).OrderByDescending(p => p.Mean).ThenBy(p => p.i).First().i;
        return runner.Finish($"grid search ({configurations.Count} configurations){runner.Where}", data, trials, best, watch, refit);
    }
}
