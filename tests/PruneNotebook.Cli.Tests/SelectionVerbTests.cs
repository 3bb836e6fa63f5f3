using System.Text.Json.Nodes;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Selection;
using static TorchSharp.torch;

namespace PruneNotebook.Cli.Tests;

/// <summary>sensitivity, select-features, cv and search: the JSON figures are those of the Core calls; --report writes an offline page.</summary>
public sealed class SelectionVerbTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-selection-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(200, args);

    private static JsonNode Result(params string[] args)
    {
        var (code, output, error) = Run([.. args, "--output", "json"]);
        Assert.True(code == 0, error);
        var document = JsonNode.Parse(output)!;
        Assert.Equal(args[0], (string?)document["command"]);
        return document["result"]!;
    }

    private static double[] Numbers(JsonNode? array) => array!.AsArray().Select(v => (double)v!).ToArray();

    [Fact]
    public void Cv_scores_every_fold_as_the_core_cross_validation_does()
    {
        var result = Result("cv", "ridge,lasso", "--data", "diabetes", "--folds", "4", "--shuffle", "--seed", "3", "--params", "alpha=0.5");
        using var diabetes = TabularDatasets.Diabetes();
        var parameters = new Dictionary<string, object> { ["alpha"] = 0.5 };
        var expected = CrossValidation.Compare([EstimatorRecipes.Create("ridge", parameters), EstimatorRecipes.Create("lasso", parameters)], diabetes, new KFold(4, true, 3));
        var actual = result["candidates"]!.AsArray();
        Assert.Equal(2, actual.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(expected.Candidates[i].Estimator, (string?)actual[i]!["estimator"]);
            Assert.Equal(expected.Candidates[i].Scores, Numbers(actual[i]!["scores"]));
            Assert.Equal(4, expected.Candidates[i].Scores.Count);
        }
        Assert.Equal(expected.Aic.Select(a => a), result["aic"]!.AsArray().Select(a => (double?)a));
    }

    [Fact]
    public void Select_features_keeps_the_features_the_core_selection_keeps()
    {
        var result = Result("select-features", "breast_cancer", "--method", "rfe", "--k", "5");
        using var data = TabularDatasets.BreastCancer();
        var (expected, _) = FeatureSelectionRecipes.Run(data, "rfe", 5);
        Assert.Equal(expected.Selected, result["selection"]!["selected"]!.AsArray().Select(i => (int)i!));
        Assert.Equal(5, expected.Selected.Count);
        Assert.Equal(expected.Ranking, result["selection"]!["ranking"]!.AsArray().Select(i => (int)i!));
    }

    [Fact]
    public void Search_on_a_grid_finds_the_best_configuration_of_the_core_grid_search()
    {
        var result = Result("search", "ridge", "--data", "diabetes", "--grid", "alpha=0.01,1,100", "--folds", "3");
        using var data = TabularDatasets.Diabetes();
        using var expected = new GridSearch(EstimatorRecipes.Factory("ridge"), ParameterGrid.Parse("alpha=0.01,1,100"), new KFold(3)).Fit(data);
        var trials = result["trials"]!.AsArray();
        Assert.Equal(3, trials.Count);
        Assert.Equal(expected.Result.Trials.Select(t => t.Mean), trials.Select(t => (double)t!["mean"]!));
        Assert.Equal(expected.Result.BestIndex, (int)result["bestIndex"]!);
    }

    [Fact]
    public void Sensitivity_gives_the_accuracies_of_the_core_analysis_on_the_same_weights_and_test_images()
    {
        manual_seed(4);
        var weights = Path.Combine(_folder, "lenet5.bin");
        using (var model = new LeNet5())
            ModelFile.Save(model, weights);
        var result = Result("sensitivity", "--model", "lenet5", "--weights", weights, "--amounts", "0.5,0.9", "--layers", "fc1,fc2", "--limit", "200");

        using var network = new LeNet5();
        ModelFile.Load(network, weights);
        using var fashion = FashionMnist.Load(limit: 200);
        var expected = Sensitivity.Analyze(network, fashion.Test, [0.5, 0.9], Pruner.WeightsOf(network, ["fc1", "fc2"]));
        var curves = result["curves"]!.AsArray();
        Assert.Equal(["fc1.weight", "fc2.weight"], curves.Select(c => (string)c!["parameter"]!));
        for (var i = 0; i < 2; i++)
            Assert.Equal(expected.Curves[i].Accuracies, Numbers(curves[i]!["accuracies"]));
        Assert.Equal(expected.BaselineAccuracy, (double)result["baselineAccuracy"]!);
    }

    [Fact]
    public void Report_writes_an_html_page_with_the_charts_and_plotly_inlined()
    {
        var report = Path.Combine(_folder, "cv.html");
        var (code, output, error) = Run("cv", "logistic", "--data", "iris", "--report", report);
        Assert.True(code == 0, error);
        Assert.Contains("report: " + report, output);
        var html = File.ReadAllText(report);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("prunenotebook cv", html);
        Assert.Contains("Plotly.newPlot", html);
        Assert.True(html.Length > 3_000_000, "plotly.js is inlined");
        Assert.DoesNotContain("<script src=", html);   // nothing loaded from the network
        Assert.Single(Directory.GetFiles(_folder));   // no temporary file left beside it
    }

    [Theory]
    [InlineData("Give exactly one of --grid or --random", "search", "ridge", "--data", "wine")]
    [InlineData("--min-resource and --factor apply to successive halving", "search", "ridge", "--data", "wine", "--grid", "alpha=1,2", "--factor", "2")]
    [InlineData("--amounts '2' must be sparsities in [0, 1]", "sensitivity", "--model", "lenet5", "--amounts", "2")]
    [InlineData("No shipped dataset or CSV file 'nowhere.csv'", "cv", "logistic", "--data", "nowhere.csv")]
    [InlineData("Unknown --method 'pca': expected rfe, rfecv, lasso, permutation or model.", "select-features", "wine", "--method", "pca")]
    [InlineData("--params gives 'alpha' 2 values", "cv", "ridge", "--data", "wine", "--params", "alpha=1,2")]
    [InlineData("Cannot save to", "cv", "ridge", "--data", "wine", "--report", "/nonexistent-folder/r.html")]
    public void Usage_errors_are_one_line_and_exit_code_2(string expected, params string[] args)
    {
        var (code, _, error) = Run(args);
        Assert.Equal(CliApp.UsageError, code);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
