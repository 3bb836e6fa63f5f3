using PruneNotebook.Core.Reports;
using PruneNotebook.Visualization;

namespace PruneNotebook.Visualization.Tests;

public class OptimizationChartsTests
{
    private static TrainingHistory Run(double loss, double accuracy, params double[] rates) => new("LeNet5", "sgd", 128,
        [new EpochMetrics(1, loss, loss + 0.1, accuracy - 0.02, 2, rates[^1]), new EpochMetrics(2, loss - 0.1, loss, accuracy, 2, rates[^1])],
        rates);

    [Fact]
    public void A_comparison_draws_every_run_in_one_colour_across_its_panels()
    {
        var comparison = new TrainingComparison("Schedules", [
            new LabeledHistory("fixed", Run(0.61, 0.8312, 0.05, 0.05, 0.05, 0.05)),
            new LabeledHistory("cosine", Run(0.52, 0.8573, 0.05, 0.0427, 0.025, 0.0073)),
        ]);
        var fragment = PlotlyHtml.Fragment(OptimizationCharts.Comparison(comparison), includePlotlyJs: false);
        Assert.Contains("Schedules", fragment);
        Assert.Contains("83.12", fragment);
        Assert.Contains("85.7299", fragment);
        Assert.Contains("0.0427", fragment);                      // the learning-rate panel: some run's rate changed
        Assert.Contains("Learning rate", fragment);
        Assert.Equal(3, Count(fragment, "\"line\":{\"color\":\"#1f77b4\"}"));   // the first run's colour in each of the three panels
        Assert.Equal(3, Count(fragment, "\"line\":{\"color\":\"#ff7f0e\"}"));
        Assert.Equal(1, Count(fragment, "\"name\":\"cosine\",\"mode\""));        // and in the legend once
    }

    [Fact]
    public void Runs_at_a_fixed_rate_leave_out_the_learning_rate_panel()
    {
        var fragment = PlotlyHtml.Fragment(OptimizationCharts.Comparison(new TrainingComparison("Optimizers", [
            new LabeledHistory("sgd", Run(0.61, 0.83, 0.05, 0.05)),
            new LabeledHistory("adam", Run(0.55, 0.85, 1e-3, 1e-3)),
        ])), includePlotlyJs: false);
        Assert.DoesNotContain("Learning rate", fragment);
        Assert.Equal(2, Count(fragment, "\"line\":{\"color\":\"#1f77b4\"}"));
    }

    [Fact]
    public void Weight_histograms_show_shares_and_the_near_zero_fraction_in_the_legend()
    {
        var distribution = new WeightDistribution("L1 1e-4", [-0.1, 0, 0.1], [25, 75], 100, 10, 40, 1e-3);
        var fragment = PlotlyHtml.Fragment(OptimizationCharts.Histograms(new WeightDistributions("Weights", [distribution])), includePlotlyJs: false);
        Assert.Contains("L1 1e-4 (40.0 % with |w| < 0.001)", fragment);
        Assert.Contains("[-0.05,0.05]", fragment);   // bin centres
        Assert.Contains("[25.0,75.0]", fragment);     // shares in %
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}
