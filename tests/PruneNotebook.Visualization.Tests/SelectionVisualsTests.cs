using PruneNotebook.Core.Reports;
using PruneNotebook.Visualization;

namespace PruneNotebook.Visualization.Tests;

public class SelectionVisualsTests
{
    private static readonly FeatureSelection Rfe = new("RFE with Lasso", "diabetes", ["age", "bmi", "s5"], [1, 3, 2], "rounds survived", [3, 1, 2], [1]);

    private static readonly CrossValidationResult Logistic = new("LogisticRegression", new Dictionary<string, object> { ["C"] = 1.0 }, "wine", "5-fold stratified",
        "accuracy", [0.9, 1.0, 0.95], [0.01, 0.02, 0.03]);

    private static readonly CrossValidationResult Mlp = new("MLP(16)", new Dictionary<string, object> { ["hidden"] = "16" }, "wine", "5-fold stratified",
        "accuracy", [0.8, 0.9, 1.0], [1.0, 1.2, 1.1]);

    [Fact]
    public void A_feature_ranking_draws_every_feature_and_names_the_selected_ones()
    {
        var html = new NotebookRenderer().Render(Rfe)!;
        Assert.Contains("\"type\":\"bar\"", html);
        Assert.Contains("\"orientation\":\"h\"", html);
        Assert.Contains("1 of 3 features selected", html);
        Assert.Contains("<b>Selected</b> (1 of 3): bmi", html);
    }

    [Fact]
    public void A_regularization_path_has_one_line_per_feature_on_a_log_alpha_axis()
    {
        var path = new RegularizationPath("Lasso", "diabetes", ["bmi", "s5"], [10, 1, 0.1], [[0, 0], [2, 0], [3, 1]], [0, 0, 0], [1, 3, 5], 0.002);
        var html = SelectionCharts.Path(path);
        var json = Plotly.NET.GenericChart.toChartHTML(html);
        Assert.Contains("\"name\":\"bmi\"", json);
        Assert.Contains("\"name\":\"s5\"", json);
        Assert.Contains("\"type\":\"log\"", json);
        Assert.Equal([0, 1, 2], path.NonzeroCounts);
        Assert.Equal([1.0, 0.1], path.EntryAlphas);
    }

    [Fact]
    public void A_candidate_comparison_shows_box_plots_and_a_table_with_aic_where_defined()
    {
        var comparison = new CandidateComparison("wine: 5-fold stratified cross-validation", [Logistic, Mlp], [120.5, null], [150.25, null]);
        var html = new NotebookRenderer().Render(comparison)!;
        Assert.Contains("\"type\":\"box\"", html);
        Assert.Contains("0.9500 ± 0.0408", html);
        Assert.Contains(">120.5<", html);
        Assert.Contains(">—<", html);
        Assert.Contains("<tr style=\"font-weight:600\"><td style=\"padding:2px 8px;border-bottom:1px solid #ddd\">LogisticRegression", html);
    }

    [Fact]
    public void A_search_renders_a_parallel_coordinates_chart_and_a_sortable_table_ranked_by_score()
    {
        var trials = new[]
        {
            new SearchTrial(0, new Dictionary<string, object> { ["lr"] = 1e-4, ["act"] = "relu" }, [0.8, 0.9], 1.5),
            new SearchTrial(1, new Dictionary<string, object> { ["lr"] = 1e-1, ["act"] = "tanh" }, [0.95, 0.97], 1.2),
        };
        var search = new SearchResult("random search (2 trials, seed 0)", "wine", "5-fold stratified", "accuracy", trials, 1, 3.0, 2);
        var html = new NotebookRenderer().Render(search)!;
        Assert.Contains("\"type\":\"parcoords\"", html);
        Assert.Contains("\"label\":\"log10 lr\"", html);
        Assert.Contains("\"ticktext\":[\"relu\",\"tanh\"]", html);
        Assert.Contains("onclick=", html);
        Assert.True(html.IndexOf(">tanh<", StringComparison.Ordinal) < html.IndexOf(">relu<", StringComparison.Ordinal), "best trial first");
        Assert.Contains("Best: lr=0.1, act=tanh → 0.9600 ± 0.0100", System.Net.WebUtility.HtmlDecode(html));
    }
}
