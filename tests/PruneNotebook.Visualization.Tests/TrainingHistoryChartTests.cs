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
        Assert.Contains("validation loss", html);
        Assert.Contains("validation accuracy %", html);
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
        Assert.DoesNotContain("validation accuracy", html);
        Assert.DoesNotContain("learning rate", html);
    }

    [Fact]
    public void A_scheduled_run_adds_the_learning_rate_of_every_step_and_the_penalty()
    {
        var scheduled = History with
        {
            Epochs = [new EpochMetrics(1, 0.61, 0.45, 0.82, 5, 0.05, 0.79, 0.0123), new EpochMetrics(2, 0.38, 0.39, 0.86, 5, 0.025, 0.87, 0.0098)],
            StepLearningRates = [0.1, 0.075, 0.05, 0.025],
            Schedule = "cosine(T=4)",
            Regularizer = "l1(1e-05)",
        };
        var html = TrainingHistoryChart.ToHtml(scheduled, includePlotlyJs: false);
        Assert.Contains("learning rate", html);
        Assert.Contains("0.075", html);
        Assert.Contains("penalty", html);
        Assert.Contains("0.0123", html);
        Assert.Contains("train accuracy %", html);
        Assert.Contains("87", html);
        Assert.Contains("LeNet5 · adam · batch 128 · cosine(T=4) · l1(1e-05)", html);
    }

    [Fact]
    public void A_live_status_shows_where_training_is_and_the_running_loss_of_the_current_epoch()
    {
        var progress = new TrainingProgress(3, 5, 120, 469, 0.4312, 1e-3);
        var status = new TrainingStatus(History, progress, 5, TrainingState.Running);
        Assert.Equal("training · epoch 3/5 · batch 120/469 · running loss 0.4312 · lr 0.001 · val acc 86.03 % (epoch 2) · 10.1 s",
            TrainingStatusHtml.StatusLine(status));
        var html = TrainingStatusHtml.ToHtml(status, includePlotlyJs: false);
        Assert.Contains("epoch 3 so far", html);
        Assert.Contains("2.2558", html);   // 2 + 120/469 epochs
        var done = status with { Progress = null, State = TrainingState.StoppedEarly, History = History with { BestEpoch = 2 } };
        Assert.StartsWith("stopped early · 2/5 epochs · val acc 86.03 % (epoch 2) · best epoch 2 restored", TrainingStatusHtml.StatusLine(done));
    }

    [Fact]
    public void The_renderer_puts_plotly_js_in_the_plan_that_stays_never_in_the_live_status_that_is_replaced()
    {
        var renderer = new NotebookRenderer();
        var plan = renderer.Render(new TrainingPlan("LeNet5", 54_000, 6_000, [new("optimizer", "adam"), new("schedule", "cosine(T=5)")]))!;
        var live = renderer.Render(new TrainingStatus(History, null, 5, TrainingState.Running))!;
        Assert.Contains("plotly.js v", plan);
        Assert.Contains("54,000", plan);
        Assert.Contains("cosine(T=5)", plan);
        Assert.DoesNotContain("plotly.js v", live);
        Assert.Contains("Plotly.newPlot", live);
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
