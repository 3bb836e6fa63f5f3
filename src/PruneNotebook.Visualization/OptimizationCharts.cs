using Plotly.NET;
using PruneNotebook.Core.Reports;
using CSharpChart = Plotly.NET.CSharp.Chart;
using Plotly.NET.CSharp;

namespace PruneNotebook.Visualization;

/// <summary>Charts that compare training runs and weight distributions.</summary>
public static class OptimizationCharts
{
    /// <summary>
    /// Runs side by side, one colour per run: train loss and validation accuracy (%) per epoch, and the learning rate
    /// at every step when any run's rate changed.
    /// </summary>
    public static GenericChart Comparison(TrainingComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var loss = new List<GenericChart>();
        var accuracy = new List<GenericChart>();
        var rates = new List<GenericChart>();
        var scheduled = comparison.Runs.Any(r => r.History.LearningRates.Distinct().Count() > 1);
        for (var i = 0; i < comparison.Runs.Count; i++)
        {
            var (label, history) = comparison.Runs[i];
            var color = ChartColors.Of(i);
            var epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
            loss.Add(CSharpChart.Line<double, double, string>(x: epochs, y: history.Epochs.Select(e => e.TrainLoss).ToArray(),
                Name: label, ShowMarkers: true, LineColor: color, MarkerColor: color));
            var validated = history.Epochs.Where(e => e.TestAccuracy.HasValue).ToArray();
            accuracy.Add(CSharpChart.Line<double, double, string>(x: validated.Select(e => (double)e.Epoch).ToArray(),
                y: validated.Select(e => 100 * e.TestAccuracy!.Value).ToArray(), Name: label, ShowLegend: false, ShowMarkers: true, LineColor: color, MarkerColor: color));
            if (scheduled)
            {
                var perEpoch = Math.Max(1, history.LearningRates.Count / Math.Max(1, history.Epochs.Count));
                rates.Add(CSharpChart.Line<double, double, string>(
                    x: Enumerable.Range(1, history.LearningRates.Count).Select(s => (double)s / perEpoch).ToArray(), y: history.LearningRates.ToArray(),
                    Name: label, ShowLegend: false, LineColor: color));
            }
        }
        var panels = new List<GenericChart>
        {
            CSharpChart.Combine(loss).WithXAxisStyle<double, double, string>(TitleText: "epoch").WithYAxisStyle<double, double, string>(TitleText: "train loss"),
            CSharpChart.Combine(accuracy).WithXAxisStyle<double, double, string>(TitleText: "epoch").WithYAxisStyle<double, double, string>(TitleText: "validation accuracy (%)"),
        };
        var titles = new List<string> { "Train loss", "Validation accuracy" };
        if (scheduled)
        {
            panels.Add(CSharpChart.Combine(rates).WithXAxisStyle<double, double, string>(TitleText: "epoch").WithYAxisStyle<double, double, string>(TitleText: "learning rate"));
            titles.Add("Learning rate");
        }
        return CSharpChart.Grid(panels, nRows: 1, nCols: panels.Count, SubPlotTitles: titles.ToArray())
            .WithSize(Width: panels.Count == 3 ? 1150 : 950, Height: 400)
            .WithTitleText(comparison.Title);
    }

    /// <summary>One histogram line per distribution (share of weights per bin, %); the legend gives each one's near-zero share.</summary>
    public static GenericChart Histograms(WeightDistributions distributions)
    {
        ArgumentNullException.ThrowIfNull(distributions);
        var lines = distributions.Distributions.Select((d, i) =>
        {
            var centres = Enumerable.Range(0, d.Counts.Count).Select(b => (d.BinEdges[b] + d.BinEdges[b + 1]) / 2).ToArray();
            var shares = d.Counts.Select(c => d.Total == 0 ? 0 : 100.0 * c / d.Total).ToArray();
            var color = ChartColors.Of(i);
            return CSharpChart.Line<double, double, string>(x: centres, y: shares,
                Name: $"{d.Label} ({Html.Percent(d.NearZeroFraction)} with |w| < {d.NearZeroThreshold:G3})", LineColor: color);
        });
        return CSharpChart.Combine(lines)
            .WithXAxisStyle<double, double, string>(TitleText: "weight")
            .WithYAxisStyle<double, double, string>(TitleText: "share of weights (%)")
            .WithSize(Width: 900, Height: 420)
            .WithTitleText(distributions.Title);
    }
}
