using System.Text.RegularExpressions;
using PruneNotebook.Core.Reports;
using PruneNotebook.Visualization;

namespace PruneNotebook.Visualization.Tests;

public class TrainingHistoryChartTests
{
    private static readonly TrainingHistory History = new("LeNet5", "adam", 128,
    [
        new EpochMetrics(1, 0.6123, 0.4567, 0.8241, 5.1, 1e-3),
        new EpochMetrics(2, 0.3812, 0.3944, 0.8603, 5.0, 1e-3),
    ]);

    [Fact]
    public void The_chart_carries_the_losses_and_accuracies_of_every_epoch()
    {
        var html = TrainingHistoryChart.ToHtml(History, includePlotlyJs: false);
        foreach (var value in new[] { "0.6123", "0.3812", "0.4567", "0.3944", "82.41", "86.03" })
            Assert.Contains(value, html);
        Assert.Contains("train loss", html);
        Assert.Contains("test loss", html);
        Assert.Contains("test accuracy %", html);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("LeNet5 · adam · batch 128", html);
    }

    [Fact]
    public void Chart_html_references_no_cdn_or_remote_script()
    {
        foreach (var include in new[] { false, true })
        {
            var html = TrainingHistoryChart.ToHtml(History, include);
            Assert.DoesNotMatch(new Regex("<script[^>]+src=", RegexOptions.IgnoreCase), html);
            Assert.DoesNotContain("require.config", html);
            Assert.DoesNotContain("requirejs", html);
            Assert.DoesNotContain("cdn.plot.ly/plotly", html);
            Assert.DoesNotContain("cdnjs", html);
        }
    }

    [Fact]
    public void Plotly_js_is_inlined_only_when_asked()
    {
        var with = TrainingHistoryChart.ToHtml(History, includePlotlyJs: true);
        var without = TrainingHistoryChart.ToHtml(History, includePlotlyJs: false);
        Assert.Contains($"plotly.js v{PlotlyHtml.PlotlyJsVersion}", with);
        Assert.DoesNotContain("plotly.js v", without);
        Assert.True(with.Length > 3_000_000, "the inlined plotly.js should be the full library");
    }

    [Fact]
    public void Inlined_plotly_js_hides_amd_define_so_it_sets_window_Plotly_under_requirejs()
    {
        // Jupyter pages load RequireJS; plotly.js must not register as an anonymous AMD module there.
        var tag = PlotlyHtml.ScriptTag();
        Assert.StartsWith("<script type=\"text/javascript\">(function (define, module, exports) {", tag);
        Assert.EndsWith("}).call(window, undefined, undefined, undefined);</script>", tag);
    }

    [Fact]
    public void A_history_without_test_metrics_draws_only_the_training_loss()
    {
        var trainOnly = History with { Epochs = [new EpochMetrics(1, 0.7, null, null, 1, 1e-3)] };
        var html = TrainingHistoryChart.ToHtml(trainOnly, includePlotlyJs: false);
        Assert.Contains("train loss", html);
        Assert.DoesNotContain("test accuracy", html);
    }

    [Fact]
    public void The_notebook_renderer_inlines_plotly_js_with_its_first_chart_only()
    {
        var renderer = new NotebookRenderer();
        var first = renderer.Render(History)!;
        var second = renderer.Render(History)!;
        Assert.Contains("plotly.js v", first);
        Assert.DoesNotContain("plotly.js v", second);
        Assert.Contains("Plotly.newPlot", second);
        Assert.Null(renderer.Render("not a record"));
    }
}
