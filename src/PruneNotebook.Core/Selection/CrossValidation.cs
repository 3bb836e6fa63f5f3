using System.Diagnostics;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Cross-validated scores for any <see cref="IEstimator"/> (linear models, networks via <see cref="NetworkEstimator"/>):
/// each fold's features are standardized with statistics of its training rows only, the estimator is fitted there and
/// scored on the test rows.
/// </summary>
public static class CrossValidation
{
    /// <summary>scikit-learn's default: stratified 5-fold for class targets, plain 5-fold otherwise, without shuffling.</summary>
    public static ISplitter DefaultSplitter(TabularDataset data, int folds = 5) =>
        (data ?? throw new ArgumentNullException(nameof(data))).IsClassification ? new StratifiedKFold(folds) : new KFold(folds);

    /// <summary>
    /// The folds <c>#!cv</c>, <c>#!search</c> and the CLI make from <c>--folds</c>, <c>--shuffle</c> and <c>--seed</c>: stratified
    /// k-fold for class targets, k-fold otherwise.
    /// </summary>
    public static ISplitter Splitter(TabularDataset data, int folds = 5, bool shuffle = false, int seed = 0) =>
        (data ?? throw new ArgumentNullException(nameof(data))).IsClassification ? new StratifiedKFold(folds, shuffle, seed) : new KFold(folds, shuffle, seed);

    /// <summary>Scores <paramref name="estimator"/> on every fold of <paramref name="cv"/>: accuracy for classifiers, R² for regressors (also on class targets).</summary>
    /// <param name="estimator">What to fit.</param>
    /// <param name="data">The rows.</param>
    /// <param name="cv">The folds; default <see cref="DefaultSplitter"/>.</param>
    /// <param name="standardize">Standardize features per fold (on its training rows).</param>
    /// <param name="parallelism">
    /// Folds fitted at once (≥ 1). Only this library's estimators fit side by side; any other estimator (which may train a
    /// TorchSharp network, not thread-safe) fits its folds in turn.
    /// </param>
    /// <exception cref="ArgumentException">The data cannot be split this way, or the estimator rejects the data.</exception>
    public static CrossValidationResult Score(IEstimator estimator, TabularDataset data, ISplitter? cv = null, bool standardize = true, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(data);
        if (parallelism < 1)
            throw new ArgumentException($"Parallelism must be at least 1, got {parallelism}.", nameof(parallelism));
        cv ??= DefaultSplitter(data);
        var folds = cv.Split(data);
        var scores = new double[folds.Count];
        var seconds = new double[folds.Count];
        void Run(Fold fold)
        {
            var (train, test) = FoldData(data, fold, standardize);
            using (train)
            using (test)
            {
                EstimatorTurns.Run(estimator, parallelism > 1, () =>
                {
                    var watch = Stopwatch.StartNew();
                    var model = estimator.Fit(train);
                    seconds[fold.Index] = watch.Elapsed.TotalSeconds;
                    scores[fold.Index] = model.Score(test);
                    (model as IDisposable)?.Dispose();
                });
            }
        }
        // One degree runs on the calling thread: a pool thread's first TorchSharp call pays for a new native thread team.
        if (parallelism == 1)
            foreach (var fold in folds)
                Run(fold);
        else
            Parallel.ForEach(folds, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, Run);
        var metric = estimator is LinearRegression or Ridge or ElasticNet or ElasticNetCV ? "R²" : MetricName(data);
        return new CrossValidationResult(estimator.Name, estimator.Parameters, data.Name, cv.Describe(), metric, scores, seconds);
    }

    /// <summary>
    /// Cross-validates every candidate on the same folds; AIC/BIC come from each linear or logistic candidate refitted on
    /// all (standardized) rows.
    /// </summary>
    public static CandidateComparison Compare(IReadOnlyList<IEstimator> candidates, TabularDataset data, ISplitter? cv = null, string? title = null, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(data);
        cv ??= DefaultSplitter(data);
        var results = candidates.Select(c => Score(c, data, cv, parallelism: parallelism)).ToArray();
        using var all = new Standardizer().Fit(data).Transform(data);
        var criteria = candidates.Select(c => c is LinearRegression or Ridge or ElasticNet or LogisticRegression ? Criteria(c.Fit(all), all) : null).ToArray();
        return new CandidateComparison(title ?? $"{data.Name}: {cv.Describe()} cross-validation", results,
            criteria.Select(c => c?.Aic).ToArray(), criteria.Select(c => c?.Bic).ToArray());
    }

    /// <summary>The name of the default score for <paramref name="data"/>.</summary>
    public static string MetricName(TabularDataset data) => (data ?? throw new ArgumentNullException(nameof(data))).IsClassification ? "accuracy" : "R²";

    /// <summary>A fold's training and test rows, standardized with the training rows' statistics when asked.</summary>
    internal static (TabularDataset Train, TabularDataset Test) FoldData(TabularDataset data, Fold fold, bool standardize)
    {
        var train = data.Rows(fold.Train);
        var test = data.Rows(fold.Test);
        if (!standardize)
            return (train, test);
        var scaling = new Standardizer().Fit(train);
        using (train)
        using (test)
            return (scaling.Transform(train), scaling.Transform(test));
    }

    private static InformationCriteria? Criteria(IFittedModel model, TabularDataset data) => model switch
    {
        LinearModel linear => linear.InformationCriteria(data),
        LogisticModel logistic => logistic.InformationCriteria(data),
        _ => null,
    };
}
