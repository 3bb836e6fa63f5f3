using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Visualization;

/// <summary>
/// Renders PruneNotebook's records as HTML for a notebook session. plotly.js is inlined with the first
/// chart this renderer produces and not again, so a session carries one copy of it.
/// </summary>
public sealed class NotebookRenderer
{
    private bool _plotlyJsEmitted;

    /// <summary>The record types <see cref="Render"/> understands.</summary>
    public static IReadOnlyList<Type> SupportedTypes { get; } =
    [
        typeof(NetworkSummary), typeof(TrainingHistory), typeof(SparsityReport), typeof(SparsityMap),
        typeof(SensitivityReport), typeof(PruningHistory), typeof(PruningComparison), typeof(SurgeryReport),
    ];

    /// <summary>HTML for <paramref name="value"/>, or <c>null</c> when its type is not one of <see cref="SupportedTypes"/>.</summary>
    public string? Render(object value) => value switch
    {
        NetworkSummary summary => NetworkSummaryHtml.ToHtml(summary),
        TrainingHistory history => Chart(TrainingHistoryChart.ToChart(history)),
        SparsityReport report => SparsityReportHtml.ToHtml(report),
        SparsityMap map => Chart(PruningCharts.KeptPerLayer(map)) + string.Concat(PruningCharts.SparsityHeatmaps(map).Select(Chart)),
        SensitivityReport sensitivity => Chart(PruningCharts.Sensitivity(sensitivity)),
        PruningHistory run => Chart(PruningCharts.Comparison(new PruningComparison([run]))),
        PruningComparison comparison => Chart(PruningCharts.Comparison(comparison)),
        SurgeryReport surgery => SurgeryReportHtml.ToHtml(surgery),
        _ => null,
    };

    private string Chart(Plotly.NET.GenericChart chart)
    {
        var html = PlotlyHtml.Fragment(chart, includePlotlyJs: !_plotlyJsEmitted);
        _plotlyJsEmitted = true;
        return html;
    }
}
