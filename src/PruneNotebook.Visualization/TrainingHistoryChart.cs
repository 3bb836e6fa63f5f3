using Plotly.NET;
using PruneNotebook.Core.Reports;
using CSharpChart = Plotly.NET.CSharp.Chart;
using Plotly.NET.CSharp;

namespace PruneNotebook.Visualization;

/// <summary>Learning curves of a <see cref="TrainingHistory"/> as a Plotly.NET chart.</summary>
public static class TrainingHistoryChart
{
    /// <summary>
    /// Two panels side by side: train and test loss per epoch, and test accuracy (%) per epoch
    /// (the accuracy panel is left out when the history has no test metrics).
    /// </summary>
    public static GenericChart ToChart(TrainingHistory history, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        var epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        var lossTraces = new List<GenericChart>
        {
            CSharpChart.Line<double, double, string>(x: epochs, y: history.Epochs.Select(e => e.TrainLoss).ToArray(), Name: "train loss", ShowMarkers: true),
        };
        var tested = history.Epochs.Where(e => e.TestLoss.HasValue).ToArray();
        if (tested.Length > 0)
        {
            lossTraces.Add(CSharpChart.Line<double, double, string>(
                x: tested.Select(e => (double)e.Epoch).ToArray(), y: tested.Select(e => e.TestLoss!.Value).ToArray(), Name: "test loss", ShowMarkers: true));
        }
        var panels = new List<GenericChart>
        {
            CSharpChart.Combine(lossTraces)
                .WithXAxisStyle<double, double, string>(TitleText: "epoch")
                .WithYAxisStyle<double, double, string>(TitleText: "cross-entropy"),
        };
        var accuracy = history.Epochs.Where(e => e.TestAccuracy.HasValue).ToArray();
        if (accuracy.Length > 0)
        {
            panels.Add(CSharpChart.Line<double, double, string>(
                    x: accuracy.Select(e => (double)e.Epoch).ToArray(), y: accuracy.Select(e => 100 * e.TestAccuracy!.Value).ToArray(),
                    Name: "test accuracy %", ShowMarkers: true)
                .WithXAxisStyle<double, double, string>(TitleText: "epoch")
                .WithYAxisStyle<double, double, string>(TitleText: "accuracy (%)"));
        }
        var chart = panels.Count == 1
            ? panels[0]
            : CSharpChart.Grid(panels, nRows: 1, nCols: panels.Count, SubPlotTitles: new[] { "Loss", "Test accuracy" });
        chart = chart.WithSize(Width: 900, Height: 380);
        var heading = title ?? $"{history.ModelName} · {history.Optimizer} · batch {history.BatchSize}";
        return chart.WithTitleText(heading);
    }

    /// <summary>The chart as an HTML fragment; see <see cref="PlotlyHtml.Fragment"/> for <paramref name="includePlotlyJs"/>.</summary>
    public static string ToHtml(TrainingHistory history, bool includePlotlyJs) =>
        PlotlyHtml.Fragment(ToChart(history), includePlotlyJs);
}
