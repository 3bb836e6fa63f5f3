using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// RFE with the number of features chosen by cross-validation, as scikit-learn's <c>RFECV</c>: on every fold, RFE runs
/// down to <paramref name="minFeatures"/> and each round's model is scored on the fold's test rows; the feature count
/// with the best mean score wins (the fewest features among ties) and RFE selects that many on all rows.
/// Features are standardized on each fold's training rows.
/// </summary>
/// <param name="estimator">The ranking and scoring estimator.</param>
/// <param name="step">Features dropped per round.</param>
/// <param name="cv">The folds; default stratified 5-fold for classes, else 5-fold.</param>
/// <param name="minFeatures">The fewest features tried.</param>
public sealed class RecursiveFeatureEliminationCV(IEstimator estimator, int step = 1, ISplitter? cv = null, int minFeatures = 1)
{
    /// <summary>Runs the cross-validated elimination.</summary>
    /// <exception cref="ArgumentException">The data cannot be split, or the settings are out of range.</exception>
    public FeatureSelection Fit(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(estimator);
        var splitter = cv ?? CrossValidation.DefaultSplitter(data);
        var rfe = new RecursiveFeatureElimination(estimator, minFeatures, step);
        var scores = new SortedDictionary<int, List<double>>();
        foreach (var fold in splitter.Split(data))
        {
            var (train, test) = CrossValidation.FoldData(data, fold, standardize: true);
            using (train)
            using (test)
            {
                rfe.Eliminate(train, minFeatures, (model, features) =>
                {
                    using var columns = test.Columns(features);
                    if (!scores.TryGetValue(features.Length, out var list))
                        scores[features.Length] = list = [];
                    list.Add(model.Score(columns));
                });
            }
        }
        var curve = scores.Select(p => new FeatureCountScore(p.Key, p.Value.Average(), Statistics.Std(p.Value))).ToArray();
        var best = curve.OrderByDescending(c => c.Mean).ThenBy(c => c.Features).First().Features;
        var selection = new RecursiveFeatureElimination(estimator, best, step).Fit(data);
        return selection with { Method = $"RFECV with {estimator.Name} ({splitter.Describe()})", Curve = curve };
    }
}
