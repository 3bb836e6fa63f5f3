using PruneNotebook.Core.Data;
using PruneNotebook.Core.Selection;
using Xunit.Abstractions;
using static PruneNotebook.Core.Tests.SklearnReference;

namespace PruneNotebook.Core.Tests;

public class FeatureSelectionTests(ITestOutputHelper output)
{
    [Fact]
    public void Rfe_selects_and_ranks_the_same_features_as_scikit_learns_rfe()
    {
        foreach (var c in Cases("rfe"))
        {
            using var data = Standardized(c.GetProperty("dataset").GetString()!);
            IEstimator estimator = c.GetProperty("estimator").GetString() switch
            {
                "LogisticRegression" => new LogisticRegression(Param(c, "C", 1), tolerance: 1e-10),
                "Ridge" => new Ridge(Param(c, "alpha", 1)),
                "LinearRegression" => new LinearRegression(),
                var other => throw new InvalidOperationException(other),
            };
            var selection = new RecursiveFeatureElimination(estimator, c.GetProperty("k").GetInt32(), c.GetProperty("step").GetInt32()).Fit(data);
            output.WriteLine($"{data.Name} {selection.Method}: {string.Join(", ", selection.SelectedNames)}");
            Assert.Equal(Ints(c.GetProperty("support")), selection.Selected);
            Assert.Equal(Ints(c.GetProperty("ranking")), selection.Ranking);
        }
    }

    [Fact]
    public void Rfecv_picks_the_feature_count_with_the_best_mean_score_and_reports_the_curve()
    {
        using var data = TabularDatasets.BreastCancer();
        var selection = new RecursiveFeatureEliminationCV(new LogisticRegression(0.1), step: 5).Fit(data);
        Assert.NotNull(selection.Curve);
        Assert.Equal([1, 5, 10, 15, 20, 25, 30], selection.Curve!.Select(p => p.Features));
        var best = selection.Curve!.OrderByDescending(p => p.Mean).ThenBy(p => p.Features).First();
        Assert.Equal(best.Features, selection.Selected.Count);
        Assert.True(best.Mean > 0.95, $"best CV accuracy {best.Mean}");
    }

    [Fact]
    public void Too_many_features_to_select_is_a_clear_error()
    {
        using var data = TabularDatasets.Iris();
        var error = Assert.Throws<ArgumentException>(() => new RecursiveFeatureElimination(new LogisticRegression(), 5).Fit(data));
        Assert.StartsWith("Cannot select 5 features from 'iris', which has 4: expected 1 to 4.", error.Message);
        Assert.Throws<ArgumentException>(() => new SelectFromModel(new LogisticRegression(), maxFeatures: 5).Fit(data));
    }

    [Fact]
    public void The_lasso_selects_by_its_nonzero_coefficients_and_top_k_keeps_the_largest()
    {
        using var data = Standardized("diabetes");
        var lasso = new Lasso(5.0).Fit(data);
        var byZeros = new SelectFromModel(new Lasso(5.0)).Fit(data);
        Assert.Equal(Enumerable.Range(0, 10).Where(j => lasso.Coefficients[j] != 0), byZeros.Selected);
        var top3 = SelectFromModel.Select(lasso, data, maxFeatures: 3);
        var largest = Enumerable.Range(0, 10).OrderByDescending(j => Math.Abs(lasso.Coefficients[j])).Take(3).Order();
        Assert.Equal(largest, top3.Selected);
    }

    [Fact]
    public void Permutation_importance_finds_the_informative_feature_and_is_reproducible_by_seed()
    {
        using var data = Standardized("diabetes");
        var model = new Lasso(1.0).Fit(data);
        var first = PermutationImportance.Compute(model, data, repeats: 3, seed: 1, keep: 2);
        output.WriteLine(string.Join(", ", first.Scores.Select((s, j) => $"{data.FeatureNames[j]} {s:F3}")));
        var again = PermutationImportance.Compute(model, data, repeats: 3, seed: 1, keep: 2);
        Assert.Equal(first.Scores, again.Scores);
        // bmi (2) and s5 (8) carry most of the diabetes signal.
        Assert.Equal([2, 8], first.Selected);
        Assert.All(first.ScoreStd!, s => Assert.True(s >= 0));
    }

    [Fact]
    public void L1_logistic_regression_meets_its_optimality_conditions_and_zeroes_features()
    {
        using var data = Standardized("breast_cancer");
        const double c = 0.05;
        var model = new LogisticRegression(c, LogisticPenalty.L1, tolerance: 1e-9, maxIterations: 200_000).Fit(data);
        Assert.True(model.Converged);
        var w = model.Coefficients[0];
        Assert.Contains(w, v => v == 0);
        Assert.Contains(w, v => v != 0);
        // KKT: C·∇loss_j = −sign(w_j) where w_j ≠ 0, |C·∇loss_j| ≤ 1 where w_j = 0.
        var x = data.Features.to_type(TorchSharp.torch.ScalarType.Float64);
        var p = x.mv(TorchSharp.torch.tensor(w.ToArray())).add(model.Intercepts[0]).sigmoid();
        var gradient = x.t().mv(p.sub(data.Targets.to_type(TorchSharp.torch.ScalarType.Float64))).mul(c).data<double>().ToArray();
        for (var j = 0; j < w.Count; j++)
        {
            if (w[j] != 0)
                Assert.Equal(-Math.Sign(w[j]), gradient[j], 3);
            else
                Assert.True(Math.Abs(gradient[j]) <= 1 + 1e-3, $"feature {j}: |grad| {gradient[j]}");
        }
    }
}
