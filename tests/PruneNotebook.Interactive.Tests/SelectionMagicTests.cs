using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Selection;

namespace PruneNotebook.Interactive.Tests;

[Collection(KernelCollection.Name)]
public sealed class SelectionMagicTests : KernelTestBase
{
    [Fact]
    public async Task Select_features_runs_rfe_on_a_shipped_dataset_and_stores_the_selection()
    {
        var html = await DisplayedHtml("#!select-features breast_cancer --method rfe --k 5 --params \"C=0.1\" --result picked");
        Assert.Contains("5 of 30 features selected", html);
        var selection = Variable<FeatureSelection>("picked");
        Assert.Equal(5, selection.Selected.Count);
        Assert.Equal("RFE with LogisticRegression", selection.Method);
    }

    [Fact]
    public async Task Lasso_selection_on_a_regression_target_shows_the_path_then_the_ranking()
    {
        var result = await Kernel.SendAsync(new SubmitCode("#!select-features diabetes --method lasso"));
        Assert.Empty(result.Events.OfType<CommandFailed>());
        var displayed = result.Events.OfType<DisplayedValueProduced>().Select(d => d.FormattedValues.Single(v => v.MimeType == "text/html").Value).ToList();
        Assert.Equal(2, displayed.Count);
        Assert.Contains("Lasso path: 100 α values", System.Net.WebUtility.HtmlDecode(displayed[0]));
        Assert.Contains("Lasso (α=", System.Net.WebUtility.HtmlDecode(displayed[1]));
    }

    [Fact]
    public async Task Cv_compares_recipes_and_estimator_variables_on_the_same_folds()
    {
        await Kernel.SendAsync(new SubmitCode("var strong = new PruneNotebook.Core.Selection.LogisticRegression(0.01);"));
        var html = await DisplayedHtml("#!cv logistic,strong --data wine --folds 3 --result comparison");
        Assert.Contains("\"type\":\"box\"", html);
        var comparison = Variable<CandidateComparison>("comparison");
        Assert.Equal(2, comparison.Candidates.Count);
        Assert.All(comparison.Candidates, c => Assert.Equal("3-fold stratified", c.CV));
        Assert.All(comparison.Aic, a => Assert.NotNull(a));
    }

    [Fact]
    public async Task Search_runs_exactly_the_grid_and_keeps_the_refitted_best()
    {
        var html = await DisplayedHtml("#!search elasticnet --data diabetes --grid \"alpha=0.01,0.1,1;l1_ratio=0.5,1\" --folds 3 --result found");
        Assert.Contains("\"type\":\"parcoords\"", html);
        var outcome = Variable<SearchOutcome>("found");
        Assert.Equal(6, outcome.Result.Trials.Count);
        Assert.IsType<LinearModel>(outcome.BestModel);
    }

    [Fact]
    public async Task Random_search_and_halving_accept_a_space()
    {
        var html = await DisplayedHtml("#!search logistic --data iris --random 6 --space \"C=loguniform(1e-3,1e2)\" --halving max_iter --min-resource 1 --factor 2 --folds 3 --seed 4");
        Assert.Contains("successive halving (6 candidates", System.Net.WebUtility.HtmlDecode(html));
    }

    [Fact]
    public async Task A_recipe_name_still_works_when_a_variable_of_another_type_shadows_it()
    {
        // The test kernel holds a LeNet300_100 in a variable named 'mlp'.
        var html = await DisplayedHtml("#!search mlp --data iris --grid \"hidden=4;epochs=2\" --folds 2");
        Assert.Contains("grid search (1 configurations)", html);
    }

    [Theory]
    [InlineData("#!select-features nowhere --method rfe", "No C# variable or shipped dataset named 'nowhere'")]
    [InlineData("#!select-features iris --method rfe --k 9", "--k 9 is out of range: 'iris' has 4 features, expected 1 to 4.")]
    [InlineData("#!select-features iris --method magic", "Unknown --method 'magic': expected rfe, rfecv, lasso, permutation or model.")]
    [InlineData("#!cv forest --data wine", "Unknown estimator 'forest'")]
    [InlineData("#!cv logistic --data wine --folds 60", "Class 'class_0' has 59 rows, fewer than the 60 folds: use at most 48 folds.")]
    [InlineData("#!cv ridge --data wine --params \"beta=1\"", "Estimator 'ridge' has no parameter 'beta': expected alpha.")]
    [InlineData("#!search logistic --data wine", "Give exactly one of --grid or --random")]
    [InlineData("#!search logistic --data wine --random 5 --space \"lr=gauss(1,2)\"", "--space: Unknown distribution 'gauss(1,2)'")]
    [InlineData("#!cv text --data wine", "Variable 'text' is a String, not an IEstimator")]
    public async Task Bad_input_fails_with_one_line_saying_what_was_expected(string code, string expected)
    {
        var message = await FailureMessage(code);
        Assert.Contains(expected, message);
    }
}
