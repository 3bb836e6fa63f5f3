using Plotly.NET;
using Plotly.NET.CSharp;
using PruneNotebook.Core.Reports;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace PruneNotebook.Visualization;

/// <summary>A <see cref="LanguageModelHistory"/> as a chart: the training loss of every step and its running mean.</summary>
public static class LanguageModelHistoryChart
{
    /// <summary>Loss per step (faint) and its mean over the last tenth of the run (bold), in nats per character.</summary>
    public static GenericChart ToChart(LanguageModelHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var steps = Enumerable.Range(1, history.Steps).Select(i => (double)i).ToArray();
        var window = history.FinalSteps;
        var running = new double[history.Steps];
        var sum = 0.0;
        for (var i = 0; i < history.Steps; i++)
        {
            sum += history.Losses[i] - (i >= window ? history.Losses[i - window] : 0);
            running[i] = sum / Math.Min(i + 1, window);
        }
        return CSharpChart.Combine(
            [
                CSharpChart.Line<double, double, string>(x: steps, y: history.Losses.ToArray(), Name: "loss per step", Opacity: 0.35),
                CSharpChart.Line<double, double, string>(x: steps, y: running, Name: $"mean of the last {window} steps"),
            ])
            .WithXAxisStyle<double, double, string>(TitleText: "step")
            .WithYAxisStyle<double, double, string>(TitleText: "cross-entropy (nats per character)")
            .WithSize(Width: 900, Height: 380)
            .WithTitleText($"{history.ModelName} · adamw · batch {history.BatchSize} × {history.Context} characters");
    }
}
