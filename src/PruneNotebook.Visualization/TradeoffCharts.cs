using Plotly.NET;
using Plotly.NET.CSharp;
using PruneNotebook.Core.Reports;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace PruneNotebook.Visualization;

/// <summary>Tradeoff curves as ShrinkBench draws them: accuracy after fine-tuning against compression and against speedup, one line per criterion, error bars of one standard deviation over seeds.</summary>
public static class TradeoffCharts
{
    /// <summary>
    /// Two panels: top-1 accuracy (%) against compression (dense parameters / nonzero parameters, log scale) and against
    /// speedup (measured for surgery, otherwise theoretical: dense MACs / nonzero MACs, log scale), with the dense
    /// model's accuracy as a dashed line.
    /// </summary>
    public static GenericChart Curves(TradeoffResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var measured = result.Points.Count > 0 && result.Points.All(p => p.MeasuredSpeedup is not null);
        var speedupTitle = measured ? "measured speedup (×, log)" : "theoretical speedup (dense MACs / nonzero MACs, ×, log)";
        var byCompression = new List<GenericChart>();
        var bySpeedup = new List<GenericChart>();
        var criteria = result.Criteria;
        for (var i = 0; i < criteria.Count; i++)
        {
            var points = result.Points.Where(p => p.Criterion == criteria[i]).OrderBy(p => p.Target).ToList();
            var color = ChartColors.Of(i);
            var accuracy = points.Select(p => 100 * p.Accuracy).ToArray();
            var errors = points.Select(p => 100 * p.AccuracyStd).ToArray();
            var text = points.Select(p => $"target {p.Target:G4}: {100 * p.Accuracy:F2} ± {100 * p.AccuracyStd:F2} % over {p.Seeds} seed(s)").ToArray();
            byCompression.Add(CSharpChart.Line<double, double, string>(x: points.Select(p => p.Compression).ToArray(), y: accuracy, Name: criteria[i],
                    ShowMarkers: true, LineColor: color, MarkerColor: color, MultiText: text)
                .WithY(errors).WithX(points.Select(p => p.CompressionStd)));
            bySpeedup.Add(CSharpChart.Line<double, double, string>(
                    x: points.Select(p => measured ? p.MeasuredSpeedup!.Value : p.TheoreticalSpeedup).ToArray(), y: accuracy, Name: criteria[i],
                    ShowLegend: false, ShowMarkers: true, LineColor: color, MarkerColor: color, MultiText: text)
                .WithY(errors).WithX(points.Select(p => measured ? p.MeasuredSpeedupStd!.Value : p.TheoreticalSpeedupStd)));
        }
        if (!double.IsNaN(result.DenseAccuracy))
        {
            var dense = 100 * result.DenseAccuracy;
            var maxCompression = result.Points.Select(p => p.Compression).DefaultIfEmpty(1).Max();
            var maxSpeedup = result.Points.Select(p => measured ? p.MeasuredSpeedup!.Value : p.TheoreticalSpeedup).DefaultIfEmpty(1).Max();
            byCompression.Add(CSharpChart.Line<double, double, string>(x: new[] { 1.0, maxCompression }, y: new[] { dense, dense }, Name: "dense",
                LineColor: Color.fromString("#555555"), LineDash: StyleParam.DrawingStyle.Dash));
            bySpeedup.Add(CSharpChart.Line<double, double, string>(x: new[] { 1.0, maxSpeedup }, y: new[] { dense, dense }, Name: "dense", ShowLegend: false,
                LineColor: Color.fromString("#555555"), LineDash: StyleParam.DrawingStyle.Dash));
        }
        var panels = new[]
        {
            CSharpChart.Combine(byCompression)
                .WithXAxisStyle<double, double, string>(TitleText: "compression (dense / nonzero parameters, ×, log)", AxisType: StyleParam.AxisType.Log)
                .WithYAxisStyle<double, double, string>(TitleText: "top-1 accuracy after fine-tuning (%)"),
            CSharpChart.Combine(bySpeedup)
                .WithXAxisStyle<double, double, string>(TitleText: speedupTitle, AxisType: StyleParam.AxisType.Log)
                .WithYAxisStyle<double, double, string>(TitleText: "top-1 accuracy after fine-tuning (%)"),
        };
        return CSharpChart.Grid(panels, nRows: 1, nCols: 2, SubPlotTitles: new[] { "Accuracy vs compression", measured ? "Accuracy vs measured speedup" : "Accuracy vs theoretical speedup" })
            .WithSize(Width: 1100, Height: 440)
            .WithTitleText($"{result.Model} on {result.Dataset} · {result.Mode}, {result.Scope} · mean ± std over seeds");
    }
}
