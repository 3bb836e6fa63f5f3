using System.Globalization;
using PruneNotebook.Core.Data;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Elastic Net (or, with ρ = 1, the Lasso) with α chosen by cross-validation, as scikit-learn's <c>ElasticNetCV</c> /
/// <c>LassoCV</c>: the α grid comes from all rows, each fold's path is fitted on its training rows, the α with the lowest
/// mean test MSE wins and the model is refitted on all rows with it.
/// </summary>
/// <param name="l1Ratio">ρ in (0, 1].</param>
/// <param name="alphaCount">Size of the automatic α grid.</param>
/// <param name="eps">Span of the grid (α_min = eps·α_max).</param>
/// <param name="cv">The folds; default 5-fold without shuffling (scikit-learn's <c>cv=5</c>).</param>
/// <param name="alphas">Explicit α values instead of the automatic grid.</param>
/// <param name="fitIntercept">Estimate an intercept.</param>
/// <param name="tolerance">scikit-learn's <c>tol</c>.</param>
/// <param name="maxIterations">Maximum sweeps per α.</param>
public sealed class ElasticNetCV(double l1Ratio = 1.0, int alphaCount = 100, double eps = 1e-3, ISplitter? cv = null, IReadOnlyList<double>? alphas = null,
    bool fitIntercept = true, double tolerance = 1e-4, int maxIterations = 1000) : IEstimator
{
    /// <summary>ρ.</summary>
    public double L1Ratio { get; } = l1Ratio;

    /// <summary>The folds.</summary>
    public ISplitter CV { get; } = cv ?? new KFold(5);

    /// <inheritdoc />
    public string Name => L1Ratio == 1 ? "LassoCV" : "ElasticNetCV";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object> Parameters => new Dictionary<string, object>
    {
        ["l1_ratio"] = L1Ratio, ["n_alphas"] = alphas?.Count ?? alphaCount, ["eps"] = eps, ["cv"] = CV.Describe(), ["tol"] = tolerance,
    };

    /// <summary>Cross-validates the path, picks α, refits.</summary>
    /// <exception cref="ArgumentException">A hyperparameter is out of range, or the data cannot be split into the folds.</exception>
    public ElasticNetCVModel Fit(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var full = GramProblem.From(data, fitIntercept);
        var grid = alphas?.OrderDescending().ToArray() ?? ElasticNetPath.AlphaGrid(full, L1Ratio, alphaCount, eps);
        var folds = CV.Split(data);
        var errors = new double[folds.Count][];
        foreach (var fold in folds)
        {
            using var train = data.Rows(fold.Train);
            using var test = data.Rows(fold.Test);
            var (coefficients, intercepts, _) = ElasticNetPath.Solve(GramProblem.From(train, fitIntercept), grid, L1Ratio, fitIntercept, tolerance, maxIterations);
            errors[fold.Index] = TestErrors(test, coefficients, intercepts);
        }
        var mean = Enumerable.Range(0, grid.Length).Select(a => errors.Average(e => e[a])).ToArray();
        var best = Array.IndexOf(mean, mean.Min());
        var estimator = new ElasticNet(grid[best], L1Ratio, fitIntercept, tolerance, maxIterations);
        var model = estimator.FitProblem(full, grid[best], data.FeatureNames, null) with
        {
            Estimator = string.Create(CultureInfo.InvariantCulture, $"{Name}(alpha={grid[best]:G4}{(L1Ratio == 1 ? "" : $", l1_ratio={L1Ratio:G3}")})"),
        };
        return new ElasticNetCVModel(model, grid[best], grid, mean, errors, CV.Describe());
    }

    IFittedModel IEstimator.Fit(TabularDataset data) => Fit(data);

    /// <summary>Test MSE for every α at once: (m, d)·(d, a) predictions on the device, one transfer of a values.</summary>
    private static double[] TestErrors(TabularDataset test, double[][] coefficients, double[] intercepts)
    {
        using var scope = NewDisposeScope();
        var d = test.FeatureCount;
        var w = tensor(coefficients.SelectMany(c => c).ToArray(), [coefficients.Length, d], device: test.Device).t();
        var b = tensor(intercepts, device: test.Device);
        var predictions = test.Features.to_type(ScalarType.Float64).mm(w).add(b);
        return predictions.sub(test.Targets.to_type(ScalarType.Float64).unsqueeze(1)).square().mean([0]).cpu().data<double>().ToArray();
    }
}

/// <summary>A fitted <see cref="ElasticNetCV"/>: the refitted model and the cross-validation curve behind the choice of α.</summary>
/// <param name="Model">The model refitted on all rows with <paramref name="Alpha"/>.</param>
/// <param name="Alpha">The chosen α (lowest mean test MSE).</param>
/// <param name="Alphas">The α grid (a), descending.</param>
/// <param name="MeanSquaredErrors">Mean test MSE per α (a).</param>
/// <param name="FoldErrors">Test MSE per fold and α: (folds) rows of (a).</param>
/// <param name="CV">How the folds were made.</param>
public sealed record ElasticNetCVModel(LinearModel Model, double Alpha, IReadOnlyList<double> Alphas, IReadOnlyList<double> MeanSquaredErrors,
    IReadOnlyList<IReadOnlyList<double>> FoldErrors, string CV) : IFittedModel, ICoefficients
{
    /// <inheritdoc />
    public IReadOnlyList<double> FeatureImportances => Model.FeatureImportances;

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<double>> CoefficientRows => Model.CoefficientRows;

    /// <inheritdoc />
    public Tensor Predict(Tensor features) => Model.Predict(features);

    /// <inheritdoc />
    public double Score(TabularDataset data) => Model.Score(data);
}
