using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Permutation importance (scikit-learn's <c>permutation_importance</c>): how much a fitted model's score drops when one
/// feature's column is shuffled, breaking its link to the target. Works for any <see cref="IFittedModel"/>, networks included;
/// the permutations run on the data's device.
/// </summary>
public static class PermutationImportance
{
    /// <summary>Mean and standard deviation over <paramref name="repeats"/> shuffles of the score drop per feature.</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="data">Rows to score on (ideally held out), with the features the model expects.</param>
    /// <param name="repeats">Shuffles per feature (≥ 1).</param>
    /// <param name="seed">Seeds the shuffles: the same seed gives the same importances.</param>
    /// <param name="keep">How many top features count as selected (default: those with a positive mean drop).</param>
    /// <exception cref="ArgumentException">repeats below 1 or keep out of range.</exception>
    public static FeatureSelection Compute(IFittedModel model, TabularDataset data, int repeats = 5, int seed = 0, int? keep = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (repeats < 1)
            throw new ArgumentException($"Permutation importance needs at least 1 repeat, got {repeats}.", nameof(repeats));
        if (keep is { } k && (k < 1 || k > data.FeatureCount))
            throw new ArgumentException($"Cannot keep {k} of {data.FeatureCount} features: expected 1 to {data.FeatureCount}.", nameof(keep));
        var baseline = model.Score(data);
        var d = data.FeatureCount;
        var means = new double[d];
        var stds = new double[d];
        using var generator = new Generator((ulong)seed);
        for (var j = 0; j < d; j++)
        {
            var drops = new double[repeats];
            for (var r = 0; r < repeats; r++)
            {
                using var scope = NewDisposeScope();
                var order = randperm(data.Count, generator: generator).to(data.Device);
                var features = data.Features.clone();
                features[TensorIndex.Colon, TensorIndex.Single(j)] = data.Features[TensorIndex.Colon, TensorIndex.Single(j)].index_select(0, order);
                using var shuffled = new TabularDataset(features, data.Targets.clone(), data.FeatureNames, data.ClassNames, data.Name);
                drops[r] = baseline - model.Score(shuffled);
            }
            means[j] = drops.Average();
            stds[j] = Statistics.Std(drops);
        }
        var order2 = Enumerable.Range(0, d).OrderByDescending(j => means[j]).ThenBy(j => j).ToArray();
        var count = keep ?? Math.Max(1, means.Count(m => m > 0));
        var ranking = new int[d];
        for (var i = 0; i < d; i++)
            ranking[order2[i]] = i < count ? 1 : i - count + 2;
        return new FeatureSelection("permutation importance", data.Name, data.FeatureNames, means, "score drop when shuffled", ranking,
            order2.Take(count).Order().ToArray(), stds);
    }
}
