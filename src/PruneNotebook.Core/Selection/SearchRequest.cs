using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Hosting;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// One hyperparameter search as a host spells it — <c>#!search</c>, the CLI's <c>search</c> — with the options as typed,
/// checked in one place and run with one set of defaults: exactly one of <c>--grid</c> or <c>--random</c> (with
/// <c>--space</c>), optionally successive halving over a resource (<c>--halving epochs --min-resource 1 --factor 3</c>),
/// 5 folds (stratified for class targets), seed 0, one trial at a time.
/// </summary>
public sealed record SearchRequest
{
    /// <summary>An example of a complete search, for messages.</summary>
    public const string Example = "--random 20 --space \"lr=loguniform(1e-3,1e-1);hidden=choice(16,32,64)\"";

    /// <summary><c>--grid</c>: <c>name=v1,v2;name=v1,v2</c>.</summary>
    public string? Grid { get; init; }

    /// <summary><c>--random</c>: the number of random-search trials.</summary>
    public string? Random { get; init; }

    /// <summary><c>--space</c>: <c>name=loguniform(a,b);name=choice(x,y);name=int(a,b)</c>.</summary>
    public string? Space { get; init; }

    /// <summary><c>--halving</c>: the resource parameter of successive halving (e.g. <c>epochs</c>).</summary>
    public string? Halving { get; init; }

    /// <summary><c>--min-resource</c>: the first round's budget (default 1).</summary>
    public string? MinResource { get; init; }

    /// <summary><c>--factor</c>: the halving factor (default 3).</summary>
    public string? Factor { get; init; }

    /// <summary><c>--folds</c>: default 5.</summary>
    public string? Folds { get; init; }

    /// <summary><c>--seed</c>: seeds the random draws (default 0).</summary>
    public string? Seed { get; init; }

    /// <summary><c>--parallel</c>: trials evaluated at once (default 1).</summary>
    public string? Parallel { get; init; }

    /// <summary>Checks every option that does not need the data, before a host loads anything.</summary>
    /// <exception cref="ArgumentException">An option is wrong or does not fit the others; the message is one line.</exception>
    public void Check() => Prepare();

    /// <summary>Checks every option and runs the search on <paramref name="data"/>.</summary>
    /// <param name="factory">Builds an estimator from a configuration (<see cref="EstimatorRecipes.Factory"/>, or a delegate in process).</param>
    /// <param name="data">The rows.</param>
    /// <param name="sweep">Runs the trials as worker processes or a Slurm job array; <c>null</c> runs them here.</param>
    /// <returns>The trials' scores and the best model refitted on all rows.</returns>
    /// <exception cref="ArgumentException">An option is wrong; the message is one line.</exception>
    public SearchOutcome Run(Func<IReadOnlyDictionary<string, object>, IEstimator> factory, TabularDataset data, SweepExecution? sweep = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(data);
        var (grid, space, trials, seed, folds, parallel) = Prepare();
        var splitter = CrossValidation.Splitter(data, folds);
        if (!string.IsNullOrWhiteSpace(Halving))
        {
            var candidates = grid is not null ? ParameterGrid.Expand(grid) : RandomSearch.Draw(space!, trials, seed);
            return new SuccessiveHalving(factory, candidates, Halving.Trim(), OptionValues.Number("--min-resource", MinResource, 1),
                OptionValues.Number("--factor", Factor, 3), cv: splitter, parallelism: parallel, sweep: sweep).Fit(data);
        }
        return grid is not null
            ? new GridSearch(factory, grid, splitter, parallel, sweep: sweep).Fit(data)
            : new RandomSearch(factory, space!, trials, seed, splitter, parallel, sweep: sweep).Fit(data);
    }

    private (IReadOnlyList<KeyValuePair<string, IReadOnlyList<object>>>? Grid, IReadOnlyList<KeyValuePair<string, ParameterDistribution>>? Space,
        int Trials, int Seed, int Folds, int Parallel) Prepare()
    {
        var parallel = OptionValues.Integer("--parallel", Parallel, 1);
        var seed = OptionValues.Integer("--seed", Seed, 0);
        var folds = OptionValues.Integer("--folds", Folds, 5);
        var hasGrid = !string.IsNullOrWhiteSpace(Grid);
        var hasRandom = !string.IsNullOrWhiteSpace(Random);
        if (hasGrid == hasRandom)
            throw new ArgumentException($"Give exactly one of --grid or --random (with --space), e.g. {Example}.");
        if (hasRandom && string.IsNullOrWhiteSpace(Space))
            throw new ArgumentException("--random needs --space, e.g. --space \"lr=loguniform(1e-3,1e-1);hidden=choice(16,32)\".");
        var grid = hasGrid ? OptionValues.Parse(() => ParameterGrid.Parse(Grid!), "--grid") : null;
        var space = hasRandom ? OptionValues.Parse(() => ParameterGrid.ParseSpace(Space!), "--space") : null;
        var trials = hasRandom ? OptionValues.Integer("--random", Random, 10) : 0;
        if (string.IsNullOrWhiteSpace(Halving))
        {
            if (!string.IsNullOrWhiteSpace(MinResource) || !string.IsNullOrWhiteSpace(Factor))
                throw new ArgumentException("--min-resource and --factor apply to successive halving: add --halving <resource> (e.g. epochs), or drop them.");
        }
        else
        {
            OptionValues.Number("--min-resource", MinResource, 1);
            OptionValues.Number("--factor", Factor, 3);
        }
        return (grid, space, trials, seed, folds, parallel);
    }
}
