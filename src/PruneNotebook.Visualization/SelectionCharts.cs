using System.Globalization;
using Plotly.NET;
using Plotly.NET.CSharp;
using PruneNotebook.Core.Reports;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace PruneNotebook.Visualization;

/// <summary>Charts for feature selection, regularization paths, cross-validation and hyperparameter searches.</summary>
public static class SelectionCharts
{
    /// <summary>Horizontal bars of every feature's score, most important on top; selected features green, the spread (± std) in the labels when scores have one.</summary>
    public static GenericChart Ranking(FeatureSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var order = Enumerable.Range(0, selection.FeatureNames.Count).OrderBy(j => selection.Scores[j]).ThenByDescending(j => j).ToArray();
        var selected = selection.Selected.ToHashSet();
        var colors = order.Select(j => Color.fromString(selected.Contains(j) ? "#2ca02c" : "#b0b0b0")).ToArray();
        var chart = CSharpChart.Bar<double, string, string>(
            values: order.Select(j => selection.Scores[j]).ToArray(),
            Keys: order.Select(j => selection.FeatureNames[j]).ToArray(),
            Name: selection.ScoreLabel,
            MarkerColor: Color.fromColors(colors),
            MultiText: selection.ScoreStd is { } std
                ? order.Select(j => string.Format(CultureInfo.InvariantCulture, "{0:G3} ± {1:G2}", selection.Scores[j], std[j])).ToArray()
                : order.Select(j => selection.Scores[j].ToString("G3", CultureInfo.InvariantCulture)).ToArray());
        return chart
            .WithXAxisStyle<double, double, string>(TitleText: selection.ScoreLabel)
            .WithSize(Width: 900, Height: Math.Max(300, 22 * order.Length + 120))
            .WithTitleText($"{selection.Dataset} · {selection.Method}: {selection.Selected.Count} of {selection.FeatureNames.Count} features selected");
    }

    /// <summary>RFECV's cross-validated score against the number of features, with a ±1 std band drawn as two dotted lines.</summary>
    public static GenericChart FeatureCountCurve(FeatureSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var curve = selection.Curve ?? throw new ArgumentException("This selection has no cross-validation curve.", nameof(selection));
        var x = curve.Select(c => (double)c.Features).ToArray();
        var grey = Color.fromString("#999999");
        return CSharpChart.Combine(
            [
                CSharpChart.Line<double, double, string>(x: x, y: curve.Select(c => c.Mean).ToArray(), Name: "mean CV score", ShowMarkers: true),
                CSharpChart.Line<double, double, string>(x: x, y: curve.Select(c => c.Mean + c.Std).ToArray(), Name: "+1 std", LineColor: grey, LineDash: StyleParam.DrawingStyle.Dot),
                CSharpChart.Line<double, double, string>(x: x, y: curve.Select(c => c.Mean - c.Std).ToArray(), Name: "−1 std", LineColor: grey, LineDash: StyleParam.DrawingStyle.Dot),
            ])
            .WithXAxisStyle<double, double, string>(TitleText: "features kept")
            .WithYAxisStyle<double, double, string>(TitleText: "cross-validated score")
            .WithSize(Width: 900, Height: 380)
            .WithTitleText($"{selection.Dataset} · {selection.Method}: best with {selection.Selected.Count} features");
    }

    /// <summary>One line per feature: its coefficient against α on a log axis (features enter as α decreases, leftwards).</summary>
    public static GenericChart Path(RegularizationPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var lines = Enumerable.Range(0, path.FeatureNames.Count).Select(j =>
        {
            var color = ChartColors.Of(j);
            return CSharpChart.Line<double, double, string>(x: path.Alphas.ToArray(), y: path.Coefficients.Select(c => c[j]).ToArray(),
                Name: path.FeatureNames[j], LineColor: color);
        });
        return CSharpChart.Combine(lines)
            .WithXAxisStyle<double, double, string>(TitleText: "α (log scale)", AxisType: StyleParam.AxisType.Log)
            .WithYAxisStyle<double, double, string>(TitleText: "coefficient")
            .WithSize(Width: 950, Height: 460)
            .WithTitleText(string.Create(CultureInfo.InvariantCulture,
                $"{path.Dataset} · {path.Estimator} path: {path.Alphas.Count} α values in {path.Seconds * 1000:F0} ms"));
    }

    /// <summary>Box plots of the fold scores, one per candidate, with every fold drawn as a point.</summary>
    public static GenericChart Boxes(IReadOnlyList<CrossValidationResult> results, string title)
    {
        ArgumentNullException.ThrowIfNull(results);
        var boxes = results.Select((r, i) => CSharpChart.BoxPlot<string, double, string>(
            Y: r.Scores.ToArray(), Name: r.Estimator, BoxPoints: StyleParam.BoxPoints.All, BoxMean: StyleParam.BoxMean.True,
            MarkerColor: ChartColors.Of(i)));
        var metric = results.Count > 0 ? results[0].Metric : "score";
        return CSharpChart.Combine(boxes)
            .WithYAxisStyle<double, double, string>(TitleText: $"test {metric} per fold")
            .WithSize(Width: Math.Max(500, 200 * results.Count + 250), Height: 420)
            .WithTitleText(title);
    }

    /// <summary>A parallel-coordinates chart of a search: one axis per hyperparameter and one for the mean score, lines coloured by score.</summary>
    public static GenericChart Parallel(SearchResult search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var dimensions = new List<object>();
        foreach (var name in search.ParameterNames)
        {
            var values = search.Trials.Select(t => t.Parameters.TryGetValue(name, out var v) ? v : null).ToArray();
            if (values.All(v => v is double or float or int or long))
            {
                var numbers = values.Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray();
                var logScale = numbers.All(v => v > 0) && numbers.Max() / numbers.Min() > 100;
                dimensions.Add(logScale
                    ? new { label = $"log10 {name}", values = numbers.Select(Math.Log10).ToArray() }
                    : new { label = name, values = numbers });
            }
            else
            {
                var categories = values.Select(v => v?.ToString() ?? "").Distinct().ToArray();
                dimensions.Add(new
                {
                    label = name,
                    values = values.Select(v => (double)Array.IndexOf(categories, v?.ToString() ?? "")).ToArray(),
                    tickvals = Enumerable.Range(0, categories.Length).ToArray(),
                    ticktext = categories,
                });
            }
        }
        var means = search.Trials.Select(t => t.Mean).ToArray();
        dimensions.Add(new { label = $"mean {search.Metric}", values = means });
        var trace = new Trace("parcoords");
        trace.SetProperty("dimensions", dimensions);
        trace.SetProperty("line", new { color = means, colorscale = "Viridis", showscale = true });
        return GenericChart.ofTraceObject(true, trace)
            .WithSize(Width: 950, Height: 420)
            .WithTitleText($"{search.Dataset} · {search.Method}: {search.Trials.Count} trials");
    }
}
