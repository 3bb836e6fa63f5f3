using Plotly.NET;
using PruneNotebook.Core.Reports;
using CSharpChart = Plotly.NET.CSharp.Chart;
using Plotly.NET.CSharp;

namespace PruneNotebook.Visualization;

/// <summary>Learning curves of a <see cref="TrainingHistory"/> as a Plotly.NET chart.</summary>
public static class TrainingHistoryChart
{
    /// <summary>
    /// Up to three panels side by side: train and validation loss per epoch (and the regularization penalty when there
    /// is one); train and validation accuracy (%); and the learning rate at every step when it changed during the run.
    /// </summary>
    /// <param name="history">The completed epochs.</param>
    /// <param name="title">Chart title; default: model, optimizer and batch size.</param>
    /// <param name="progress">The epoch in progress: its running train loss is drawn at its fractional epoch.</param>
    public static GenericChart ToChart(TrainingHistory history, string? title = null, TrainingProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        var panels = new List<(GenericChart Chart, string Title)> { (LossPanel(history, progress), "Loss") };
        if (AccuracyPanel(history) is { } accuracy)
            panels.Add((accuracy, "Accuracy"));
        if (history.LearningRates.Distinct().Count() > 1)
            panels.Add((RatePanel(history.LearningRates), "Learning rate"));
        var chart = panels.Count == 1
            ? panels[0].Chart
            : CSharpChart.Grid(panels.Select(p => p.Chart), nRows: 1, nCols: panels.Count, SubPlotTitles: panels.Select(p => p.Title).ToArray());
        chart = chart.WithSize(Width: panels.Count == 3 ? 1100 : 900, Height: 380);
        return chart.WithTitleText(title ?? Title(history));
    }

    /// <summary>The chart as an HTML fragment; see <see cref="PlotlyHtml.Fragment"/> for <paramref name="includePlotlyJs"/>.</summary>
    public static string ToHtml(TrainingHistory history, bool includePlotlyJs) =>
        PlotlyHtml.Fragment(ToChart(history), includePlotlyJs);

    /// <summary>Model, optimizer, batch size, schedule and regularizer, e.g. <c>LeNet5 · adam · batch 128 · cosine(T=5)</c>.</summary>
    public static string Title(TrainingHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var parts = new List<string> { history.ModelName, history.Optimizer, $"batch {history.BatchSize}" };
        if (history.Schedule is { } schedule)
            parts.Add(schedule);
        if (history.Regularizer is { } regularizer)
            parts.Add(regularizer);
        return string.Join(" · ", parts);
    }

    private static GenericChart LossPanel(TrainingHistory history, TrainingProgress? progress)
    {
        var epochs = history.Epochs;
        var traces = new List<GenericChart>
        {
            Line("train loss", epochs.Select(e => (double)e.Epoch), epochs.Select(e => e.TrainLoss)),
        };
        var validated = epochs.Where(e => e.TestLoss.HasValue).ToArray();
        if (validated.Length > 0)
            traces.Add(Line("validation loss", validated.Select(e => (double)e.Epoch), validated.Select(e => e.TestLoss!.Value)));
        if (epochs.Any(e => e.Penalty > 0))
            traces.Add(Line("penalty", epochs.Select(e => (double)e.Epoch), epochs.Select(e => e.Penalty)));
        if (progress is not null && progress.Batch > 0)
        {
            traces.Add(CSharpChart.Point<double, double, string>(
                x: new[] { progress.EpochsDone }, y: new[] { progress.RunningTrainLoss }, Name: $"epoch {progress.Epoch} so far"));
        }
        return CSharpChart.Combine(traces)
            .WithXAxisStyle<double, double, string>(TitleText: "epoch")
            .WithYAxisStyle<double, double, string>(TitleText: "cross-entropy");
    }

    private static GenericChart? AccuracyPanel(TrainingHistory history)
    {
        var traces = new List<GenericChart>();
        var trained = history.Epochs.Where(e => e.TrainAccuracy.HasValue).ToArray();
        if (trained.Length > 0)
            traces.Add(Line("train accuracy %", trained.Select(e => (double)e.Epoch), trained.Select(e => 100 * e.TrainAccuracy!.Value)));
        var validated = history.Epochs.Where(e => e.TestAccuracy.HasValue).ToArray();
        if (validated.Length > 0)
            traces.Add(Line("validation accuracy %", validated.Select(e => (double)e.Epoch), validated.Select(e => 100 * e.TestAccuracy!.Value)));
        return traces.Count == 0
            ? null
            : CSharpChart.Combine(traces)
                .WithXAxisStyle<double, double, string>(TitleText: "epoch")
                .WithYAxisStyle<double, double, string>(TitleText: "accuracy (%)");
    }

    private static GenericChart RatePanel(IReadOnlyList<double> rates) =>
        CSharpChart.Line<double, double, string>(x: Enumerable.Range(1, rates.Count).Select(i => (double)i).ToArray(), y: rates.ToArray(), Name: "learning rate")
            .WithXAxisStyle<double, double, string>(TitleText: "step")
            .WithYAxisStyle<double, double, string>(TitleText: "learning rate");

    private static GenericChart Line(string name, IEnumerable<double> x, IEnumerable<double> y) =>
        CSharpChart.Line<double, double, string>(x: x.ToArray(), y: y.ToArray(), Name: name, ShowMarkers: true);
}
