using PruneNotebook.Core.Reports;
using PruneNotebook.Visualization;

namespace PruneNotebook.Visualization.Tests;

public class PruningVisualsTests
{
    private static readonly SparsityReport Report = new("LeNet5",
    [
        new ParameterSparsity("conv1.weight", [6, 1, 5, 5], 150, 120, true, 6, 2, 1, 0),
        new ParameterSparsity("conv1.bias", [6], 6, 2, true, 6, 2, 0, 0),
        new ParameterSparsity("fc3.weight", [10, 84], 840, 0, false, 10, 0, 84, 0),
    ]);

    [Fact]
    public void The_sparsity_table_shows_zeros_dead_units_and_the_total_compression()
    {
        var html = SparsityReportHtml.ToHtml(Report);
        Assert.Contains(">conv1.weight<", html);
        Assert.Contains("80.0 %", html);
        Assert.Contains(">2 / 6<", html);
        Assert.Contains(">996<", html);
        Assert.Contains(">122<", html);
        Assert.Contains("1.14× fewer nonzero weights", html.Replace("&#215;", "×"));
    }

    [Fact]
    public void The_sparsity_map_draws_pruned_blocks_as_zero_density()
    {
        var map = new SparsityMap("Net", [new WeightMap("fc.weight", 2, 3, 1, 1, [[0, 1, 1], [1, 0, 0]])]);
        var heatmap = PlotlyHtml.Fragment(PruningCharts.SparsityHeatmaps(map).Single(), includePlotlyJs: false);
        Assert.Contains("\"z\":[[0.0,1.0,1.0],[1.0,0.0,0.0]]", heatmap);
        Assert.Contains("#ffffff", heatmap);
        Assert.Contains("fc.weight: 2×3, 50.0 % kept", heatmap);
        var bars = PlotlyHtml.Fragment(PruningCharts.KeptPerLayer(map), includePlotlyJs: false);
        Assert.Contains("\"y\":[50.0]", bars);
    }

    [Fact]
    public void Sensitivity_and_comparison_charts_carry_every_point()
    {
        var sensitivity = new SensitivityReport("LeNet5", "l1", 0.9, [new SensitivityCurve("fc1.weight", 48_000, [0.5, 0.9], [0.89, 0.61])]);
        var html = PlotlyHtml.Fragment(PruningCharts.Sensitivity(sensitivity), includePlotlyJs: false);
        Assert.Contains("\"x\":[50.0,90.0]", html);
        Assert.Contains("\"y\":[89.0,61.0]", html);
        Assert.Contains("unpruned", html);

        var run = new PruningHistory("gradual", "LeNet5", 0.9, [new PruningStage(1, 100, 0.5, 0.88, null, 0.4, 3), new PruningStage(2, 200, 0.9, 0.87, null, 0.4, 3)]);
        var comparison = PlotlyHtml.Fragment(PruningCharts.Comparison(new PruningComparison([run])), includePlotlyJs: false);
        Assert.Contains("\"x\":[50.0,90.0]", comparison);
        Assert.Contains("\"y\":[88.0,87.0]", comparison);
        Assert.Contains("dense", comparison);
    }
}
