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
            return chart.WithTitleText($"{w.Name}: {w.Rows}×{w.Columns}, {Html.Percent(w.Kept)} kept{blocks}");
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
        return chart.WithTitleText($"{map.ModelName} · kept fraction per layer");
    }

    /// <summary>Accuracy (%) against sparsity (%) with one line per layer, and the unpruned baseline.</summary>
    public static GenericChart Sensitivity(SensitivityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return AccuracyAgainstSparsity(
            report.Curves.Select(c => (c.Parameter, c.Sparsities, c.Accuracies)),
            ("unpruned", report.BaselineAccuracy),
            "sparsity of the layer (%)", "accuracy (%)",
            $"{report.ModelName} · sensitivity ({report.Criterion})");
    }

    /// <summary>Runs side by side: test accuracy (%) against sparsity (%) stage by stage, one line per schedule.</summary>
    public static GenericChart Comparison(PruningComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return AccuracyAgainstSparsity(
            comparison.Runs.Select(r => (r.Schedule, (IReadOnlyList<double>)r.Stages.Select(s => s.Sparsity).ToList(), (IReadOnlyList<double>)r.Stages.Select(s => s.TestAccuracy).ToList())),
            comparison.Runs.Count > 0 ? ("dense", comparison.Runs[0].DenseAccuracy) : null,
            "sparsity (%)", "test accuracy (%)",
            "Pruning schedules compared");
    }

    /// <summary>One line per series (fractions drawn as %), plus a flat reference line across the series' sparsity range.</summary>
    private static GenericChart AccuracyAgainstSparsity(
        IEnumerable<(string Name, IReadOnlyList<double> Sparsities, IReadOnlyList<double> Accuracies)> series,
        (string Name, double Accuracy)? reference, string xTitle, string yTitle, string title)
    {
        var all = series.ToList();
        var lines = all.Select(s => CSharpChart.Line<double, double, string>(
            x: s.Sparsities.Select(v => 100 * v).ToArray(), y: s.Accuracies.Select(v => 100 * v).ToArray(), Name: s.Name, ShowMarkers: true)).ToList();
        if (reference is var (name, accuracy))
        {
            var xs = all.SelectMany(s => s.Sparsities).DefaultIfEmpty(0).ToArray();
            lines.Add(CSharpChart.Line<double, double, string>(
                x: new[] { 100 * xs.Min(), 100 * xs.Max() }, y: new[] { 100 * accuracy, 100 * accuracy }, Name: name));
        }
        return CSharpChart.Combine(lines)
            .WithXAxisStyle<double, double, string>(TitleText: xTitle)
            .WithYAxisStyle<double, double, string>(TitleText: yTitle)
            .WithSize(Width: 900, Height: 420)
            .WithTitleText(title);
    }
}
