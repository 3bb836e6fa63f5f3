using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using PruneNotebook.Core.Reports;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace PruneNotebook.Visualization;

/// <summary>Plotly.NET charts of pruning results: sparsity maps, sensitivity curves, schedule comparisons.</summary>
public static class PruningCharts
{
    /// <summary>
    /// One heatmap per weight matrix (rows = output units, conv filters flattened to rows): white where every entry is
    /// pruned, blue by the fraction kept — Han et al.'s picture of a pruned layer.
    /// </summary>
    public static IReadOnlyList<GenericChart> SparsityHeatmaps(SparsityMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var scale = StyleParam.Colorscale.NewCustom(new[]
        {
            Tuple.Create(0.0, Color.fromString("#ffffff")),
            Tuple.Create(1e-6, Color.fromString("#c6dbef")),
            Tuple.Create(1.0, Color.fromString("#08306b")),
        });
        return map.Weights.Select(w =>
        {
            var blocks = w.BlockRows == 1 && w.BlockColumns == 1 ? "" : $", {w.BlockRows}×{w.BlockColumns} blocks";
            var height = Math.Clamp(120 + 2 * w.Density.Count, 220, 720);
            var chart = CSharpChart.Heatmap<double, int, int, string>(
                    zData: w.Density,
                    ColorScale: scale,
                    ReverseYAxis: true,
                    ZSmooth: StyleParam.SmoothAlg.False,
                    Name: w.Name)
                .WithXAxisStyle<double, double, string>(TitleText: "input")
                .WithYAxisStyle<double, double, string>(TitleText: "output unit")
                .WithSize(Width: 900, Height: height);
            return Plotly.NET.Chart.withTitle($"{w.Name}: {w.Rows}×{w.Columns}, {Html.Percent(w.Kept)} kept{blocks}", FSharpOption<Font>.None).Invoke(chart);
        }).ToList();
    }

    /// <summary>Kept fraction per weight as a bar chart.</summary>
    public static GenericChart KeptPerLayer(SparsityMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var chart = CSharpChart.Column<double, string, string>(
                values: map.Weights.Select(w => 100 * w.Kept).ToArray(),
                Keys: map.Weights.Select(w => w.Name).ToArray(),
                Name: "kept %",
                MultiText: map.Weights.Select(w => Html.Percent(w.Kept)).ToArray())
            .WithYAxisStyle<double, double, string>(TitleText: "kept weights (%)")
            .WithSize(Width: 900, Height: 320);
        return Plotly.NET.Chart.withTitle($"{map.ModelName} · kept fraction per layer", FSharpOption<Font>.None).Invoke(chart);
    }

    /// <summary>Accuracy (%) against sparsity (%) with one line per layer, and the unpruned baseline.</summary>
    public static GenericChart Sensitivity(SensitivityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var lines = report.Curves.Select(c => CSharpChart.Line<double, double, string>(
            x: c.Sparsities.Select(s => 100 * s).ToArray(), y: c.Accuracies.Select(a => 100 * a).ToArray(), Name: c.Parameter, ShowMarkers: true)).ToList();
        var xs = report.Curves.SelectMany(c => c.Sparsities).DefaultIfEmpty(0).ToArray();
        lines.Add(CSharpChart.Line<double, double, string>(
            x: new[] { 100 * xs.Min(), 100 * xs.Max() }, y: new[] { 100 * report.BaselineAccuracy, 100 * report.BaselineAccuracy }, Name: "unpruned"));
        var chart = CSharpChart.Combine(lines)
            .WithXAxisStyle<double, double, string>(TitleText: "sparsity of the layer (%)")
            .WithYAxisStyle<double, double, string>(TitleText: "accuracy (%)")
            .WithSize(Width: 900, Height: 420);
        return Plotly.NET.Chart.withTitle($"{report.ModelName} · sensitivity ({report.Criterion})", FSharpOption<Font>.None).Invoke(chart);
    }

    /// <summary>Runs side by side: test accuracy (%) against sparsity (%) stage by stage, one line per schedule.</summary>
    public static GenericChart Comparison(PruningComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var lines = comparison.Runs.Select(run => CSharpChart.Line<double, double, string>(
            x: run.Stages.Select(s => 100 * s.Sparsity).ToArray(),
            y: run.Stages.Select(s => 100 * s.TestAccuracy).ToArray(),
            Name: run.Schedule, ShowMarkers: true)).ToList();
        if (comparison.Runs.Count > 0)
        {
            var dense = comparison.Runs[0].DenseAccuracy;
            var xs = comparison.Runs.SelectMany(r => r.Stages).Select(s => 100 * s.Sparsity).DefaultIfEmpty(0).ToArray();
            lines.Add(CSharpChart.Line<double, double, string>(x: new[] { xs.Min(), xs.Max() }, y: new[] { 100 * dense, 100 * dense }, Name: "dense"));
        }
        var chart = CSharpChart.Combine(lines)
            .WithXAxisStyle<double, double, string>(TitleText: "sparsity (%)")
            .WithYAxisStyle<double, double, string>(TitleText: "test accuracy (%)")
            .WithSize(Width: 900, Height: 420);
        return Plotly.NET.Chart.withTitle("Pruning schedules compared", FSharpOption<Font>.None).Invoke(chart);
    }
}
