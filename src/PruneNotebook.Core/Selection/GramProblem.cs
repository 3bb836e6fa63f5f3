using PruneNotebook.Core.Data;
using PruneNotebook.Core.Runtime;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// A least-squares problem reduced to its sufficient statistics: G = XcᵀXc (d, d), q = Xcᵀyc (d) and yc·yc, where Xc and yc
/// are centred when an intercept is fitted (scikit-learn's <c>fit_intercept</c>). The O(n·d²) products run once on the
/// data's device in float64; solvers then work on these d-sized arrays only.
/// </summary>
internal sealed record GramProblem(double[] Gram, double[] Xty, double Yty, long Samples, int Features, double[] FeatureMeans, double TargetMean)
{
    public static GramProblem From(TabularDataset data, bool fitIntercept)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count < 1)
            throw new ArgumentException($"Dataset '{data.Name}' has no rows.", nameof(data));
        TorchNativeLibraries.EnsureLoaded();
        using var scope = NewDisposeScope();
        var x = data.Features.to_type(ScalarType.Float64);
        var y = data.Targets.to_type(ScalarType.Float64);
        var d = data.FeatureCount;
        var xMean = fitIntercept ? x.mean([0]) : zeros(d, dtype: ScalarType.Float64, device: x.device);
        var yMean = fitIntercept ? y.mean() : zeros(Array.Empty<long>(), dtype: ScalarType.Float64, device: x.device);
        var xc = fitIntercept ? x.sub(xMean) : x;
        var yc = fitIntercept ? y.sub(yMean) : y;
        var gram = xc.t().mm(xc).reshape(-1);
        var xty = xc.t().mv(yc);
        // One transfer of d² + 2d + 2 values.
        var all = cat([gram, xty, xMean, yc.dot(yc).reshape(1), yMean.reshape(1)]).cpu().data<double>().ToArray();
        return new GramProblem(all[..(d * d)], all[(d * d)..(d * d + d)], all[^2], data.Count, d, all[(d * d + d)..(d * d + 2 * d)], all[^1]);
    }

    /// <summary>The intercept ȳ − x̄·w for coefficients <paramref name="w"/>.</summary>
    public double Intercept(double[] w)
    {
        var b = TargetMean;
        for (var j = 0; j < Features; j++)
            b -= FeatureMeans[j] * w[j];
        return b;
    }
}
