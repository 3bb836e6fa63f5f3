using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Reports;
using PruneNotebook.Visualization;

namespace PruneNotebook.Visualization.Tests;

public class TradeoffVisualsTests
{
    private static TradeoffTrial Trial(int index, string criterion, double target, long seed, double accuracy, double? measured = null) =>
        new(index, criterion, target, seed, 61_706, (long)(61_706 * (1 - target)), 416_520, (long)(416_520 * (1 - target)),
            1 / (1 - target), 1 / (1 - target), measured, measured is null ? null : 2.0 / measured, accuracy - 0.2, accuracy);

    private static TradeoffPoint Point(string criterion, double target, double accuracy, double std, double? measured = null) =>
        new(criterion, target, 2, 1 / (1 - target), 0, 1 / (1 - target), 0, measured, measured is null ? null : 0.1, accuracy - 0.2, 0.05, accuracy, std);

    private static TradeoffResult Study(bool surgery = false) => new("tradeoff lenet5", "lenet5", "fashion-mnist (first 2000)", surgery ? "channels" : "weights", "local",
        "1 epoch(s), adam lr 0.001, batch 128", 0.86, 61_706, 416_520,
        [Trial(1, "l1", 0.5, 0, 0.85, surgery ? 1.8 : null), Trial(2, "l1", 0.5, 1, 0.84, surgery ? 1.9 : null),
         Trial(3, "random", 0.5, 0, 0.80, surgery ? 1.7 : null), Trial(4, "random", 0.5, 1, 0.78, surgery ? 1.8 : null)],
        [Point("l1", 0.5, 0.845, 0.00707, surgery ? 1.85 : null), Point("l1", 0.9, 0.80, 0.02, surgery ? 4 : null),
         Point("random", 0.5, 0.79, 0.01414, surgery ? 1.75 : null), Point("random", 0.9, 0.40, 0.1, surgery ? 3.5 : null)],
        ["trial 9 (random 0.9 seed 1): FileNotFoundException: Model file not found"], "/tmp/sweep", "local pool (2 workers × 1 thread)", 42);

    [Fact]
    public void Tradeoff_curves_plot_accuracy_against_log_compression_and_speedup_with_error_bars_per_criterion()
    {
        var json = Plotly.NET.GenericChart.toChartHTML(TradeoffCharts.Curves(Study()));

        Assert.Contains("\"name\":\"l1\"", json);
        Assert.Contains("\"name\":\"random\"", json);
        Assert.Contains("\"name\":\"dense\"", json);
        Assert.Contains("\"x\":[2.0,10.000000000000002]", json);                       // compression 2× and 10×
        Assert.Contains("\"y\":[84.5,80.0]", json);
        Assert.Contains("\"error_y\":{\"visible\":true,\"type\":\"data\",\"symmetric\":true,\"array\":[0.707,2.0]", json);   // one std, in %
        Assert.Contains("\"type\":\"log\"", json);
        Assert.Contains("theoretical speedup (dense MACs / nonzero MACs", json);
        Assert.Contains("\"y\":[86.0,86.0]", json);                                    // the dense model
    }

    [Fact]
    public void Surgery_studies_plot_accuracy_against_measured_speedup()
    {
        var json = Plotly.NET.GenericChart.toChartHTML(TradeoffCharts.Curves(Study(surgery: true)));
        Assert.Contains("Accuracy vs measured speedup", json);
        Assert.Contains("\"x\":[1.85,4.0]", json);
    }

    [Fact]
    public void The_tradeoff_table_shows_mean_and_std_per_point_sortable_with_every_trial_and_failure()
    {
        var html = System.Net.WebUtility.HtmlDecode(new NotebookRenderer().Render(Study())!);

        Assert.Contains("lenet5 on fashion-mnist (first 2000): dense 86.00 %, 61,706 parameters, 416,520 MACs.", html);
        Assert.Contains("title=\"sort\" onclick=", html);
        Assert.Contains(">accuracy % ⇅</th>", html);
        Assert.Contains(">84.50<", html);          // l1 at 0.5: mean accuracy
        Assert.Contains(">0.71<", html);           // and its std
        Assert.Contains("<summary>4 trials</summary>", html);
        Assert.Contains("trial 9 (random 0.9 seed 1): FileNotFoundException: Model file not found", html);
        Assert.DoesNotContain("measured speedup", html);
    }

    [Fact]
    public void Sweep_progress_shows_counts_and_one_square_per_trial_in_its_state()
    {
        var progress = new SweepProgress("grid", "local pool (2 workers × 1 thread)",
            [TrialState.Done, TrialState.Running, TrialState.Failed, TrialState.Queued], 1, 2, 2, 12.4);

        var html = System.Net.WebUtility.HtmlDecode(new NotebookRenderer().Render(progress)!);

        Assert.Contains("1/4 done · 1 failed · 1 running · 1 queued · wave 1/2, retry 1 · 12 s", html);
        Assert.Contains("title=\"trial 1: running\" style=\"display:inline-block;width:12px;height:12px;border-radius:2px;background:#1f77b4\"", html);
        Assert.Contains("title=\"trial 2: failed\"", html);
        Assert.Equal(4, html.Split("<span title=\"trial ").Length - 1);
    }
}
