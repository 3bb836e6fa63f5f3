using System.Globalization;
using PruneNotebook.Core.Data;

namespace PruneNotebook.Core.Selection;

/// <summary>Ridge regression: minimise ‖y − Xw − b‖² + α·‖w‖² (scikit-learn's <c>Ridge</c>; the intercept is not penalised).</summary>
/// <param name="alpha">α ≥ 0, the L2 strength.</param>
/// <param name="fitIntercept">Estimate b (by centring X and y) or fix it at 0.</param>
public sealed class Ridge(double alpha = 1.0, bool fitIntercept = true) : IEstimator
{
    /// <summary>α.</summary>
    public double Alpha { get; } = alpha;

    /// <summary>Whether b is estimated.</summary>
    public bool FitIntercept { get; } = fitIntercept;

    /// <inheritdoc />
    public string Name => "Ridge";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object> Parameters => new Dictionary<string, object> { ["alpha"] = Alpha, ["fit_intercept"] = FitIntercept };

    /// <summary>Solves (XcᵀXc + αI)·w = Xcᵀyc on the data's device in float64.</summary>
    /// <exception cref="ArgumentException">α is negative or not finite, or the dataset has no rows.</exception>
    public LinearModel Fit(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(Alpha >= 0) || double.IsInfinity(Alpha))
            throw new ArgumentException($"Ridge alpha must be a finite number ≥ 0, got {Alpha}.", nameof(Alpha));
        var problem = GramProblem.From(data, FitIntercept);
        var w = LinearRegression.RidgeSolve(problem, Alpha, data.Device);
        return new LinearModel(string.Create(CultureInfo.InvariantCulture, $"Ridge(alpha={Alpha:G4})"), w, FitIntercept ? problem.Intercept(w) : 0,
            data.FeatureNames, 1, true, FitIntercept);
    }

    IFittedModel IEstimator.Fit(TabularDataset data) => Fit(data);
}
