using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Evaluates configurations by cross-validation for the searches: folds are split and standardized once and shared by all
/// trials; (configuration, fold) pairs run up to a parallel degree. TorchSharp's intra-op thread count is left alone:
/// changing it while other threads train crashed libtorch's optimizer step here. With a <see cref="SweepExecution"/>, each
/// configuration is instead one trial of a sweep (the recipe by name, the data and the folds written into the sweep
/// directory), cross-validated by a worker process exactly as here.
/// </summary>
internal sealed class SearchRunner : IDisposable
{
    private readonly List<(TabularDataset Train, TabularDataset Test)> _folds = [];
    private readonly Func<IReadOnlyDictionary<string, object>, IEstimator> _factory;
    private readonly int _parallelism;
    private readonly SweepExecution? _execution;
    private readonly string? _recipe;
    private readonly string _name;
    private readonly TabularDataset _data;
    private readonly IReadOnlyList<Fold> _splits;
    private SweepDirectory? _sweep;

    public SearchRunner(Func<IReadOnlyDictionary<string, object>, IEstimator> factory, TabularDataset data, ISplitter cv, int parallelism,
        SweepExecution? execution = null, string method = "search")
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(data);
        if (parallelism < 1)
            throw new ArgumentException($"Parallelism must be at least 1, got {parallelism}.", nameof(parallelism));
        _factory = factory;
        _parallelism = parallelism;
        _execution = execution;
        _data = data;
        _name = method;
        if (execution is not null)
            _recipe = EstimatorRecipes.NameOf(factory) ?? throw new ArgumentException(
                "Running trials in worker processes needs an estimator recipe by name (EstimatorRecipes.Factory(\"mlp\") or a recipe name in #!search): a C# delegate cannot be sent to another process.",
                nameof(factory));
        CV = cv.Describe();
        Metric = CrossValidation.MetricName(data);
        _splits = cv.Split(data);
        if (execution is null)
            foreach (var fold in _splits)
                _folds.Add(CrossValidation.FoldData(data, fold, standardize: true));
    }

    /// <summary>Where the trials run, for the result's method line: empty in process.</summary>
    public string Where => _execution is null ? "" : $" · {_execution.Backend.Describe()}";

    public string CV { get; }

    public string Metric { get; }

    /// <summary>Cross-validates each configuration; trial indices continue from <paramref name="firstIndex"/>.</summary>
    public List<SearchTrial> Evaluate(IReadOnlyList<IReadOnlyDictionary<string, object>> configurations, int firstIndex = 0, int round = 0, double? resource = null)
    {
        if (_execution is not null)
            return EvaluateInSweep(_execution, configurations, firstIndex, round, resource);
        var estimators = configurations.Select(_factory).ToArray();
        var scores = new double[configurations.Count, _folds.Count];
        var seconds = new double[configurations.Count, _folds.Count];
        var work = Enumerable.Range(0, configurations.Count).SelectMany(c => Enumerable.Range(0, _folds.Count).Select(f => (c, f))).ToArray();
        void Run((int, int) item)
        {
            var (c, f) = item;
            EstimatorTurns.Run(estimators[c], _parallelism > 1, () =>
            {
                var watch = Stopwatch.StartNew();
                var model = estimators[c].Fit(_folds[f].Train);
                scores[c, f] = model.Score(_folds[f].Test);
                seconds[c, f] = watch.Elapsed.TotalSeconds;
                (model as IDisposable)?.Dispose();
            });
        }
        if (_parallelism == 1)
            foreach (var item in work)
                Run(item);
        else
            Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = _parallelism }, Run);
        return Enumerable.Range(0, configurations.Count).Select(c => new SearchTrial(firstIndex + c, configurations[c],
            Enumerable.Range(0, _folds.Count).Select(f => scores[c, f]).ToArray(),
            Enumerable.Range(0, _folds.Count).Sum(f => seconds[c, f]), round, resource)).ToList();
    }

    /// <summary>The finished search, with the best configuration refitted on all rows when asked.</summary>
    public SearchOutcome Finish(string method, TabularDataset data, List<SearchTrial> trials, int best, Stopwatch watch, bool refit)
    {
        var scaling = new Standardizer().Fit(data);
        IFittedModel? model = null;
        if (refit)
        {
            using var all = scaling.Transform(data);
            model = _factory(trials[best].Parameters).Fit(all);
        }
        return new SearchOutcome(new SearchResult(method, data.Name, CV, Metric, trials, best, watch.Elapsed.TotalSeconds, _parallelism), model, scaling);
    }

    /// <summary>Each configuration as a trial of the sweep (the next wave for successive halving's later rounds).</summary>
    private List<SearchTrial> EvaluateInSweep(SweepExecution execution, IReadOnlyList<IReadOnlyDictionary<string, object>> configurations, int firstIndex, int round, double? resource)
    {
        if (_sweep is null)
        {
            execution.Prepare(configurations.Count);   // workers start while the data and folds are written
            var (csv, data) = TableExport.Csv(_data, "data.csv");
            var folds = GivenFolds.Json(_splits);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(csv + folds)))[..12];
            var spec = new SweepSpec($"{_name} {_recipe} on {_data.Name} (data {hash})", Trials(data, configurations, round));
            _sweep = execution.Create(spec);
            _sweep.WriteText("data.csv", csv);
            _sweep.WriteText("folds.json", folds);
        }
        else
        {
            _sweep = _sweep.Extend(firstIndex, Trials(_sweep.Spec.Trials[0].Data, configurations, round));
        }
        var results = execution.Run(_sweep, Enumerable.Range(firstIndex, configurations.Count).ToList());
        return results.Select((r, c) => new SearchTrial(firstIndex + c, configurations[c], r.FoldScores ?? [], r["cv.seconds"], round, resource)).ToList();
    }

    private List<TrialSpec> Trials(DataSpec data, IReadOnlyList<IReadOnlyDictionary<string, object>> configurations, int round) =>
        configurations.Select(c => new TrialSpec(_recipe!, data, [new CrossValidateStep(_recipe!, c, FoldsFile: "folds.json")], Wave: round,
            Tags: c.ToDictionary(p => p.Key, p => ParameterGrid.Format(p.Value)))).ToList();

    public void Dispose()
    {
        foreach (var (train, test) in _folds)
        {
            train.Dispose();
            test.Dispose();
        }
    }
}
