using System.Diagnostics;
using System.Globalization;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Successive halving (scikit-learn's <c>HalvingGridSearchCV</c> / <c>HalvingRandomSearchCV</c>): all candidates are
/// cross-validated on a small budget of one resource (epochs, say), the best 1/factor of them go on to a budget factor times
/// larger, and so on until one candidate is left or the budget would pass its maximum. The winner is the best of the last round.
/// </summary>
/// <param name="factory">Builds an estimator from a configuration that includes the resource, e.g. <c>p =&gt; Mlp(..., epochs: p.Int("epochs"))</c>.</param>
/// <param name="candidates">The configurations to start with (a grid's or random search's).</param>
/// <param name="resource">The parameter name that carries the budget.</param>
/// <param name="minResource">The first round's budget (&gt; 0).</param>
/// <param name="factor">How many times fewer candidates and more budget per round (&gt; 1).</param>
/// <param name="maxResource">The largest budget allowed, or <c>null</c> for no limit.</param>
/// <param name="cv">The folds; default <see cref="CrossValidation.DefaultSplitter"/>.</param>
/// <param name="parallelism">Trials evaluated at once.</param>
/// <param name="refit">Refit the winner on all rows (with the last round's budget).</param>
/// <param name="sweep">Run each round as a wave of trials in worker processes or a Slurm job array (the next round is promoted once a wave is done; the factory must come from <see cref="EstimatorRecipes.Factory"/>); <c>null</c> runs them here.</param>
public sealed class SuccessiveHalving(Func<IReadOnlyDictionary<string, object>, IEstimator> factory, IReadOnlyList<IReadOnlyDictionary<string, object>> candidates,
    string resource, double minResource, double factor = 3, double? maxResource = null, ISplitter? cv = null, int parallelism = 1, bool refit = true,
    SweepExecution? sweep = null)
{
    /// <summary>Runs the rounds on <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">No candidates, a budget or factor out of range, or the folds do not fit the data.</exception>
    public SearchOutcome Fit(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentException.ThrowIfNullOrWhiteSpace(resource);
        if (candidates.Count == 0)
            throw new ArgumentException("Successive halving needs at least one candidate configuration.", nameof(candidates));
        if (!(minResource > 0) || double.IsInfinity(minResource))
            throw new ArgumentException($"The minimum {resource} must be a positive number, got {minResource}.", nameof(minResource));
        if (!(factor > 1))
            throw new ArgumentException($"The halving factor must be above 1, got {factor}.", nameof(factor));
        if (maxResource is { } max && max < minResource)
            throw new ArgumentException($"The maximum {resource} ({max}) is below the minimum ({minResource}).", nameof(maxResource));
        var watch = Stopwatch.StartNew();
        using var runner = new SearchRunner(factory, data, cv ?? CrossValidation.DefaultSplitter(data), parallelism, sweep, "successive halving");
        var trials = new List<SearchTrial>();
        var alive = candidates.ToList();
        var budget = minResource;
        List<SearchTrial> round = [];
        for (var r = 0; ; r++)
        {
            var configurations = alive.Select(c => (IReadOnlyDictionary<string, object>)new Dictionary<string, object>(c) { [resource] = budget }).ToList();
            round = runner.Evaluate(configurations, trials.Count, r, budget);
            trials.AddRange(round);
            var keep = (int)Math.Ceiling(alive.Count / factor);
            var next = budget * factor;
            if (alive.Count == 1 || (maxResource is { } limit && next > limit))
                break;
            alive = round.OrderByDescending(t => t.Mean).ThenBy(t => t.Index).Take(keep)
                .Select(t => (IReadOnlyDictionary<string, object>)t.Parameters.Where(p => p.Key != resource).ToDictionary(p => p.Key, p => p.Value))
                .ToList();
            budget = next;
        }
        var best = round.OrderByDescending(t => t.Mean).ThenBy(t => t.Index).First().Index;
        return runner.Finish(string.Create(CultureInfo.InvariantCulture, $"successive halving ({candidates.Count} candidates, {resource} from {minResource:G4}, factor {factor:G3}){runner.Where}"),
            data, trials, best, watch, refit);
    }
}
