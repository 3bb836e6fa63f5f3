using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Interactive.Tests;

[Collection(KernelCollection.Name)]
public sealed class SummaryMagicTests : KernelTestBase
{
    [Fact]
    public void Loading_shows_the_usage_card()
    {
        var card = LoadResult.Events.OfType<DisplayedValueProduced>().SelectMany(e => e.FormattedValues).Single(v => v.MimeType == "text/html");
        Assert.Contains("#!summary", card.Value);
        Assert.Contains("#!prune", card.Value);
    }

    [Fact]
    public async Task Summary_of_a_variable_shows_its_layers_and_totals()
    {
        var html = await DisplayedHtml("#!summary model --input-shape 1,1,28,28");
        Assert.Contains(">conv1<", html);
        Assert.Contains(">fc3<", html);
        Assert.Contains(">61,706<", html);
        Assert.Contains(">416,520<", html);
    }

    [Fact]
    public async Task The_input_shape_is_inferred_for_zoo_models()
    {
        var html = await DisplayedHtml("#!summary mlp");
        Assert.Contains(">266,610<", html);
    }

    [Fact]
    public async Task An_unknown_variable_is_named_in_a_one_line_error()
    {
        var message = await FailureMessage("#!summary nosuchmodel");
        Assert.Contains("No C# variable named 'nosuchmodel'", message);
    }

    [Fact]
    public async Task A_variable_that_is_not_a_module_is_refused()
    {
        var message = await FailureMessage("#!summary text");
        Assert.Contains("Variable 'text' is a String, not a TorchSharp module", message);
    }

    [Fact]
    public async Task A_malformed_shape_is_refused_with_an_example()
    {
        var message = await FailureMessage("#!summary model --input-shape 1,a,28");
        Assert.Contains("'1,a,28' is not an input shape", message);
        Assert.Contains("e.g. 1,1,28,28", message);
    }

    [Fact]
    public async Task A_shape_the_model_cannot_take_is_explained()
    {
        var message = await FailureMessage("#!summary model --input-shape 1,3,28,28");
        Assert.Contains("LeNet5 cannot run on input shape (1, 3, 28, 28)", message);
    }

    [Fact]
    public async Task A_convnet_without_a_shape_asks_for_one()
    {
        var message = await FailureMessage("#!summary convnet");
        Assert.Contains("pass --input-shape", message);
    }

    [Fact]
    public async Task An_unknown_option_is_refused_and_the_kernel_stays_usable()
    {
        var result = await Kernel.SendAsync(new SubmitCode("#!summary model --depth 3"));
        var failure = Assert.Single(result.Events.OfType<CommandFailed>());
        Assert.Contains("--depth", failure.Message);

        var html = await DisplayedHtml("#!summary model");
        Assert.Contains(">conv1<", html);
    }

    [Fact]
    public async Task A_missing_model_argument_is_refused()
    {
        var result = await Kernel.SendAsync(new SubmitCode("#!summary"));
        Assert.Single(result.Events.OfType<CommandFailed>());
    }

    [Fact]
    public void Returned_records_render_through_the_registered_formatters()
    {
        var history = new TrainingHistory("LeNet5", "adam", 128, [new EpochMetrics(1, 0.61, 0.45, 0.8241, 5, 1e-3)]);
        var html = history.ToDisplayString("text/html");
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("82.41", html);
        Assert.DoesNotContain("cdn.plot.ly/plotly", html);
    }

    [Fact]
    public void Every_record_the_renderer_supports_has_an_html_formatter()
    {
        var comparison = new TrainingComparison("Optimizers", [new LabeledHistory("adam", new TrainingHistory("LeNet5", "adam", 128, [new EpochMetrics(1, 0.61, 0.45, 0.8241, 5, 1e-3)]))]);
        Assert.Contains("Plotly.newPlot", comparison.ToDisplayString("text/html"));
        var distributions = new WeightDistributions("Weights", [new WeightDistribution("none", [-0.1, 0, 0.1], [1, 1], 2, 0, 0, 1e-3)]);
        Assert.Contains("Plotly.newPlot", distributions.ToDisplayString("text/html"));
        var plan = new TrainingPlan("LeNet5", 100, 10, [new("optimizer", "adam")]);
        Assert.Contains("Training LeNet5", plan.ToDisplayString("text/html"));
    }
}
