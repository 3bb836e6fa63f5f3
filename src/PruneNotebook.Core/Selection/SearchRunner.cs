using System.Diagnostics;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Evaluates configurations by cross-validation for the searches: folds are split and standardized once and shared by all
/// trials; (configuration, fold) pairs run up to a parallel degree. TorchSharp's intra-op thread count is left alone:
/// changing it while other threads train crashed libtorch's optimizer step here.
/// </summary>
internal sealed class SearchRunner : IDisposable
{
    private readonly List<(TabularDataset Train, TabularDataset Test)> _folds = [];
    private readonly Func<IReadOnlyDictionary<string, object>, IEstimator> _factory;
    private readonly int _parallelism;

    public SearchRunner(Func<IReadOnlyDictionary<string, object>, IEstimator> factory, TabularDataset data, ISplitter cv, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(data);
        if (parallelism < 1)
            throw new ArgumentException($"Parallelism must be at least 1, got {parallelism}.", nameof(parallelism));
        _factory = factory;
        _parallelism = parallelism;
        CV = cv.Describe();
        Metric = CrossValidation.MetricName(data);
        foreach (var fold in cv.Split(data))
            _folds.Add(CrossValidation.FoldData(data, fold, standardize: true));
    }

    public string CV { get; }

    public string Metric { get; }

    /// <summary>Cross-validates each configuration; trial indices continue from <paramref name="firstIndex"/>.</summary>
    public List<SearchTrial> Evaluate(IReadOnlyList<IReadOnlyDictionary<string, object>> configurations, int firstIndex = 0, int round = 0, double? resource = null)
    {
        var estimators = configurations.Select(_factory).ToArray();
        var scores = new double[configurations.Count, _folds.Count];
        var seconds = new double[configurations.Count, _folds.Count];
        var work = Enumerable.Range(0, configurations.Count).SelectMany(c => Enumerable.Range(0, _folds.Count).Select(f => (c, f))).ToArray();
        void Run((int, int) item)
        {
            var (c, f) = item;
            var watch = Stopwatch.StartNew();
            var model = estimators[c].Fit(_folds[f].Train);
            scores[c, f] = model.Score(_folds[f].Test);
            seconds[c, f] = watch.Elapsed.TotalSeconds;
            (model as IDisposable)?.Dispose();
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

    public void Dispose()
    {
        foreach (var (train, test) in _folds)
        {
            train.Dispose();
            test.Dispose();
        }
    }
}
