using PruneNotebook.Core.Data;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Selection;

/// <summary>Ordinary least squares: minimise ‖y − Xw − b‖² (scikit-learn's <c>LinearRegression</c>; the minimum-norm solution when X is rank-deficient).</summary>
/// <param name="fitIntercept">Estimate b (by centring X and y) or fix it at 0.</param>
public sealed class LinearRegression(bool fitIntercept = true) : IEstimator
{
    /// <summary>Whether b is estimated.</summary>
    public bool FitIntercept { get; } = fitIntercept;

    /// <inheritdoc />
    public string Name => "LinearRegression";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object> Parameters => new Dictionary<string, object> { ["fit_intercept"] = FitIntercept };

    /// <summary>Solves the least-squares problem on the data's device (float64, pseudo-inverse of the centred Gram matrix).</summary>
    /// <exception cref="ArgumentException">The dataset has no rows.</exception>
    public LinearModel Fit(TabularDataset data)
    {
        var problem = GramProblem.From(data, FitIntercept);
        var w = RidgeSolve(problem, 0, data.Device);
        return new LinearModel(Name, w, FitIntercept ? problem.Intercept(w) : 0, data.FeatureNames, 1, true, FitIntercept);
    }

    IFittedModel IEstimator.Fit(TabularDataset data) => Fit(data);

    /// <summary>w = (G + αI)⁺ q on <paramref name="device"/>; the pseudo-inverse keeps α = 0 well defined for rank-deficient G.</summary>
    internal static double[] RidgeSolve(GramProblem problem, double alpha, Device device)
    {
        using var scope = NewDisposeScope();
        var d = problem.Features;
        var g = tensor(problem.Gram, [d, d], device: device);
        var q = tensor(problem.Xty, device: device);
        if (alpha > 0)
            g = g.add(eye(d, dtype: ScalarType.Float64, device: device).mul(alpha));
        var w = alpha > 0 ? linalg.solve(g, q.unsqueeze(1)).squeeze(1) : linalg.pinv(g, hermitian: true).mv(q);
        return w.cpu().data<double>().ToArray();
    }
}
