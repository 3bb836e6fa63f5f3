using System.Globalization;
using PruneNotebook.Core.Data;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Elastic Net regression with scikit-learn's objective and parametrisation:
/// minimise (1/(2n))·‖y − Xw − b‖² + α·ρ·‖w‖₁ + α·(1 − ρ)/2·‖w‖², by cyclic coordinate descent (see <see cref="Lasso"/> for ρ = 1).
/// </summary>
/// <param name="alpha">α ≥ 0, the overall penalty strength.</param>
/// <param name="l1Ratio">ρ in [0, 1]: 1 is the Lasso, 0 a ridge penalty (scaled as above).</param>
/// <param name="fitIntercept">Estimate b (by centring X and y) or fix it at 0.</param>
/// <param name="tolerance">scikit-learn's <c>tol</c>: the duality gap must fall below tol·‖yc‖².</param>
/// <param name="maxIterations">Maximum coordinate-descent sweeps.</param>
public class ElasticNet(double alpha = 1.0, double l1Ratio = 0.5, bool fitIntercept = true, double tolerance = 1e-4, int maxIterations = 1000) : IEstimator
{
    /// <summary>α.</summary>
    public double Alpha { get; } = alpha;

    /// <summary>ρ.</summary>
    public double L1Ratio { get; } = l1Ratio;

    /// <summary>Whether b is estimated.</summary>
    public bool FitIntercept { get; } = fitIntercept;

    /// <summary>Duality-gap tolerance.</summary>
    public double Tolerance { get; } = tolerance;

    /// <summary>Maximum sweeps.</summary>
    public int MaxIterations { get; } = maxIterations;

    /// <inheritdoc />
    public virtual string Name => "ElasticNet";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object> Parameters => new Dictionary<string, object>
    {
        ["alpha"] = Alpha, ["l1_ratio"] = L1Ratio, ["fit_intercept"] = FitIntercept, ["tol"] = Tolerance, ["max_iter"] = MaxIterations,
    };

    /// <summary>Fits by coordinate descent from zero coefficients.</summary>
    /// <exception cref="ArgumentException">A hyperparameter is out of range (the message says which and what is expected), or the dataset has no rows.</exception>
    public LinearModel Fit(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Validate(Alpha, L1Ratio, Tolerance, MaxIterations);
        var problem = GramProblem.From(data, FitIntercept);
        return FitProblem(problem, Alpha, data.FeatureNames, null);
    }

    IFittedModel IEstimator.Fit(TabularDataset data) => Fit(data);

    internal LinearModel FitProblem(GramProblem problem, double alpha, IReadOnlyList<string> featureNames, double[]? start)
    {
        var result = CoordinateDescent.Solve(problem, alpha, L1Ratio, Tolerance, MaxIterations, start);
        var label = L1Ratio == 1 && Name == "Lasso"
            ? string.Create(CultureInfo.InvariantCulture, $"Lasso(alpha={alpha:G4})")
            : string.Create(CultureInfo.InvariantCulture, $"{Name}(alpha={alpha:G4}, l1_ratio={L1Ratio:G3})");
        return new LinearModel(label, result.Coefficients, FitIntercept ? problem.Intercept(result.Coefficients) : 0, featureNames,
            result.Iterations, result.Converged, FitIntercept);
    }

    internal static void Validate(double alpha, double l1Ratio, double tolerance, int maxIterations)
    {
        if (!(alpha >= 0) || double.IsInfinity(alpha))
            throw new ArgumentException($"alpha must be a finite number ≥ 0, got {alpha}.", nameof(alpha));
        if (!(l1Ratio >= 0 && l1Ratio <= 1))
            throw new ArgumentException($"l1_ratio must be in [0, 1], got {l1Ratio}.", nameof(l1Ratio));
        if (!(tolerance > 0))
            throw new ArgumentException($"tolerance must be above 0, got {tolerance}.", nameof(tolerance));
        if (maxIterations < 1)
            throw new ArgumentException($"max iterations must be at least 1, got {maxIterations}.", nameof(maxIterations));
    }
}
