using Xunit.Abstractions;
using System.Text.Json;
using PruneNotebook.Core.Selection;
using static PruneNotebook.Core.Tests.SklearnReference;

namespace PruneNotebook.Core.Tests;

/// <summary>Linear models against scikit-learn 1.2 on the shipped datasets (tests/reference/sklearn_selection_reference.py).</summary>
public class LinearModelParityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    [Fact]
    public void Least_squares_ridge_lasso_and_elastic_net_coefficients_match_scikit_learn()
    {
        foreach (var c in Cases("linear"))
        {
            var name = c.GetProperty("estimator").GetString()!;
            var dataset = c.GetProperty("dataset").GetString()!;
            using var data = Standardized(dataset);
            var alpha = Param(c, "alpha", 1.0);
            var intercept = !c.GetProperty("params").TryGetProperty("fit_intercept", out var fi) || fi.GetBoolean();
            IEstimator estimator = name switch
            {
                "LinearRegression" => new LinearRegression(intercept),
                "Ridge" => new Ridge(alpha, intercept),
                "Lasso" => new Lasso(alpha, intercept, tolerance: 1e-12, maxIterations: 1_000_000),
                "ElasticNet" => new ElasticNet(alpha, Param(c, "l1_ratio", 0.5), intercept, tolerance: 1e-12, maxIterations: 1_000_000),
                _ => throw new InvalidOperationException(name),
            };
            var model = (LinearModel)estimator.Fit(data);
            var expected = Doubles(c.GetProperty("coef"));
            var scale = Math.Max(1, expected.Max(Math.Abs));
            var difference = MaxAbsDifference(expected, model.Coefficients);
            var interceptDifference = Math.Abs(c.GetProperty("intercept").GetDouble() - model.Intercept);
            output.WriteLine($"{dataset} {model.Estimator}: max |Δcoef| {difference:E2} (max |coef| {scale:G4}), |Δintercept| {interceptDifference:E2}, {model.Iterations} sweeps");
            Assert.True(model.Converged, model.Estimator);
            Assert.True(difference < Tolerance * scale, $"{dataset} {model.Estimator}: max |Δcoef| {difference}");
            Assert.True(interceptDifference < Tolerance * Math.Max(1, Math.Abs(model.Intercept)), $"{dataset} {model.Estimator}: intercept off by {interceptDifference}");
            Assert.Equal(expected.Select(v => v == 0), model.Coefficients.Select(v => v == 0));
        }
    }

    [Fact]
    public void Lasso_and_elastic_net_paths_match_scikit_learn_along_the_whole_alpha_grid()
    {
        foreach (var c in Cases("paths"))
        {
            var dataset = c.GetProperty("dataset").GetString()!;
            var l1Ratio = c.GetProperty("l1_ratio").GetDouble();
            using var data = Standardized(dataset);
            var path = ElasticNetPath.Compute(data, l1Ratio, count: 100, eps: 1e-3, tolerance: 1e-12, maxIterations: 1_000_000);
            var alphas = Doubles(c.GetProperty("alphas"));
            Assert.True(MaxAbsDifference(alphas, path.Alphas) < 1e-9 * alphas[0], "alpha grid");
            var expected = c.GetProperty("coefs").EnumerateArray().Select(Doubles).ToArray();
            var scale = Math.Max(1, expected.SelectMany(v => v).Max(Math.Abs));
            var worst = expected.Select((e, a) => MaxAbsDifference(e, path.Coefficients[a])).Max();
            output.WriteLine($"{dataset} {path.Estimator}: 100 alphas, max |Δcoef| {worst:E2} (max |coef| {scale:G4}), {path.Seconds * 1000:F1} ms");
            Assert.True(worst < Tolerance * scale, $"{dataset} path: max |Δcoef| {worst}");
        }
    }

    [Fact]
    public void LassoCV_and_ElasticNetCV_choose_scikit_learns_alpha_with_the_same_error_curve()
    {
        foreach (var c in Cases("cv"))
        {
            using var data = Standardized(c.GetProperty("dataset").GetString()!);
            var l1Ratio = c.GetProperty("l1_ratio").GetDouble();
            var fitted = new ElasticNetCV(l1Ratio, tolerance: 1e-12, maxIterations: 1_000_000).Fit(data);
            var meanMse = Doubles(c.GetProperty("mean_mse"));
            var mseDifference = meanMse.Zip(fitted.MeanSquaredErrors, (e, a) => Math.Abs(e - a) / e).Max();
            output.WriteLine($"{fitted.Model.Estimator}: alpha {fitted.Alpha:G6} vs {c.GetProperty("alpha").GetDouble():G6}, max relative |ΔMSE| {mseDifference:E2}");
            Assert.Equal(c.GetProperty("alpha").GetDouble(), fitted.Alpha, 1e-9);
            Assert.True(mseDifference < 1e-6, $"MSE curve off by {mseDifference}");
            Assert.True(MaxAbsDifference(Doubles(c.GetProperty("coef")), fitted.Model.Coefficients) < Tolerance * 50);
        }
    }

    [Fact]
    public void Logistic_regression_coefficients_match_scikit_learn_binary_and_multinomial()
    {
        foreach (var c in Cases("logistic"))
        {
            var dataset = c.GetProperty("dataset").GetString()!;
            using var data = Standardized(dataset);
            var model = new LogisticRegression(c.GetProperty("C").GetDouble(), tolerance: 1e-10).Fit(data);
            var expected = c.GetProperty("coef").EnumerateArray().Select(Doubles).ToArray();
            Assert.Equal(expected.Length, model.Coefficients.Count);
            var difference = expected.Select((e, r) => MaxAbsDifference(e, model.Coefficients[r])).Max();
            var interceptDifference = MaxAbsDifference(Doubles(c.GetProperty("intercept")), model.Intercepts);
            output.WriteLine($"{dataset} {model.Estimator}: max |Δcoef| {difference:E2}, max |Δintercept| {interceptDifference:E2}, {model.Iterations} Newton steps");
            Assert.True(model.Converged);
            Assert.True(difference < Tolerance, $"{dataset}: max |Δcoef| {difference}");
            Assert.True(interceptDifference < Tolerance, $"{dataset}: max |Δintercept| {interceptDifference}");
        }
    }

    [Fact]
    public void Ols_aic_and_bic_equal_statsmodels_definitions_computed_by_hand()
    {
        var c = Root.GetProperty("ols_information_criteria");
        using var diabetes = Data.TabularDatasets.Diabetes();
        using var rows = diabetes.Rows(Enumerable.Range(0, c.GetProperty("rows").GetInt32()).Select(i => (long)i).ToArray());
        using var data = rows.Columns(Ints(c.GetProperty("columns")));
        var model = new LinearRegression().Fit(data);
        var criteria = model.InformationCriteria(data);
        Assert.Equal(c.GetProperty("k").GetInt32(), criteria.Parameters);
        Assert.Equal(c.GetProperty("llf").GetDouble(), criteria.LogLikelihood, 1e-6);
        Assert.Equal(c.GetProperty("aic").GetDouble(), criteria.Aic, 1e-6);
        Assert.Equal(c.GetProperty("bic").GetDouble(), criteria.Bic, 1e-6);
        Assert.True(MaxAbsDifference(Doubles(c.GetProperty("coef")), model.Coefficients) < 1e-6);
    }
}
