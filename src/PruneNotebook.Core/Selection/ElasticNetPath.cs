using System.Diagnostics;
using System.Globalization;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Regularization paths of the Lasso / Elastic Net (scikit-learn's <c>enet_path</c>): the centred Gram statistics are
/// computed once on the data's device, then each α is solved by coordinate descent warm-started from the previous one.
/// </summary>
public static class ElasticNetPath
{
    /// <summary>
    /// scikit-learn's automatic α grid: <paramref name="count"/> values log-spaced from α_max = max|Xcᵀyc| / (n·ρ), the
    /// smallest α with all coefficients zero, down to <paramref name="eps"/>·α_max.
    /// </summary>
    /// <exception cref="ArgumentException">ρ is not in (0, 1], eps not in (0, 1), or count &lt; 1.</exception>
    public static double[] AlphaGrid(TabularDataset data, double l1Ratio = 1.0, int count = 100, double eps = 1e-3, bool fitIntercept = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        return AlphaGrid(GramProblem.From(data, fitIntercept), l1Ratio, count, eps);
    }

    internal static double[] AlphaGrid(GramProblem problem, double l1Ratio, int count, double eps)
    {
        if (!(l1Ratio > 0 && l1Ratio <= 1))
            throw new ArgumentException($"An automatic α grid needs l1_ratio in (0, 1], got {l1Ratio}: pass the α values instead.", nameof(l1Ratio));
        if (!(eps > 0 && eps < 1))
            throw new ArgumentException($"eps must be in (0, 1), got {eps}.", nameof(eps));
        if (count < 1)
            throw new ArgumentException($"The α grid needs at least 1 value, got {count}.", nameof(count));
        var alphaMax = problem.Xty.Max(Math.Abs) / (problem.Samples * l1Ratio);
        if (alphaMax <= double.Epsilon)
            return Enumerable.Repeat(double.Epsilon, count).ToArray();
        if (count == 1)
            return [alphaMax];
        var (high, low) = (Math.Log10(alphaMax), Math.Log10(alphaMax * eps));
        return Enumerable.Range(0, count).Select(i => Math.Pow(10, high - (high - low) * i / (count - 1))).ToArray();
    }

    /// <summary>Coefficients along α for scikit-learn's Elastic Net objective (see <see cref="ElasticNet"/>).</summary>
    /// <param name="data">The rows to fit.</param>
    /// <param name="l1Ratio">ρ in [0, 1] (1: the Lasso path).</param>
    /// <param name="alphas">The α values, or <c>null</c> for <see cref="AlphaGrid(TabularDataset, double, int, double, bool)"/> with <paramref name="count"/> and <paramref name="eps"/>; solved largest first.</param>
    /// <param name="count">Grid size when <paramref name="alphas"/> is null.</param>
    /// <param name="eps">Grid span when <paramref name="alphas"/> is null.</param>
    /// <param name="fitIntercept">Estimate an intercept.</param>
    /// <param name="tolerance">scikit-learn's <c>tol</c>.</param>
    /// <param name="maxIterations">Maximum sweeps per α.</param>
    /// <exception cref="ArgumentException">A hyperparameter is out of range.</exception>
    public static RegularizationPath Compute(TabularDataset data, double l1Ratio = 1.0, IReadOnlyList<double>? alphas = null, int count = 100,
        double eps = 1e-3, bool fitIntercept = true, double tolerance = 1e-4, int maxIterations = 1000)
    {
        ArgumentNullException.ThrowIfNull(data);
        var watch = Stopwatch.StartNew();
        var problem = GramProblem.From(data, fitIntercept);
        var grid = alphas?.OrderDescending().ToArray() ?? AlphaGrid(problem, l1Ratio, count, eps);
        var (coefficients, intercepts, iterations) = Solve(problem, grid, l1Ratio, fitIntercept, tolerance, maxIterations);
        var name = l1Ratio == 1 ? "Lasso" : string.Create(CultureInfo.InvariantCulture, $"ElasticNet(l1_ratio={l1Ratio:G3})");
        return new RegularizationPath(name, data.Name, data.FeatureNames, grid, coefficients, intercepts, iterations, watch.Elapsed.TotalSeconds);
    }

    internal static (double[][] Coefficients, double[] Intercepts, int[] Iterations) Solve(GramProblem problem, IReadOnlyList<double> alphas,
        double l1Ratio, bool fitIntercept, double tolerance, int maxIterations)
    {
        foreach (var alpha in alphas)
            ElasticNet.Validate(alpha, l1Ratio, tolerance, maxIterations);
        var coefficients = new double[alphas.Count][];
        var intercepts = new double[alphas.Count];
        var iterations = new int[alphas.Count];
        double[]? start = null;
        for (var a = 0; a < alphas.Count; a++)
        {
            var result = CoordinateDescent.Solve(problem, alphas[a], l1Ratio, tolerance, maxIterations, start);
            coefficients[a] = result.Coefficients;
            intercepts[a] = fitIntercept ? problem.Intercept(result.Coefficients) : 0;
            iterations[a] = result.Iterations;
            start = result.Coefficients;
        }
        return (coefficients, intercepts, iterations);
    }
}
