using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Experiments;
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
        typeof(SensitivityReport), typeof(PruningHistory), typeof(PruningComparison), typeof(TrainingStatus), typeof(TrainingPlan),
        typeof(TrainingComparison), typeof(WeightDistributions),
        typeof(FeatureSelection), typeof(RegularizationPath), typeof(CrossValidationResult), typeof(CandidateComparison), typeof(SearchResult),
        typeof(SurgeryReport), typeof(TradeoffResult), typeof(SweepProgress), typeof(PerplexityComparison), typeof(LanguageModelEvaluation), typeof(LanguageModelHistory),
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
        TrainingComparison comparison => Chart(OptimizationCharts.Comparison(comparison)),
        WeightDistributions distributions => Chart(OptimizationCharts.Histograms(distributions)),
        TrainingStatus status => Live(status),
        TrainingPlan plan => PlotlyJsOnce() + TrainingStatusHtml.PlanHtml(plan),
        FeatureSelection selection => Chart(SelectionCharts.Ranking(selection)) + (selection.Curve is null ? "" : Chart(SelectionCharts.FeatureCountCurve(selection)))
            + SelectionHtml.SelectedLine(selection),
        RegularizationPath path => Chart(SelectionCharts.Path(path)),
        CrossValidationResult result => Chart(SelectionCharts.Boxes([result], $"{result.Dataset} · {result.Estimator}: {result.CV}")) + SelectionHtml.Single(result),
        CandidateComparison comparison => Chart(SelectionCharts.Boxes(comparison.Candidates, comparison.Title)) + SelectionHtml.Comparison(comparison),
        SearchResult search => Chart(SelectionCharts.Parallel(search)) + SelectionHtml.Search(search),
        SurgeryReport surgery => SurgeryReportHtml.ToHtml(surgery),
        TradeoffResult tradeoff => Chart(TradeoffCharts.Curves(tradeoff)) + TradeoffHtml.ToHtml(tradeoff),
        SweepProgress progress => SweepProgressHtml.ToHtml(progress),
        PerplexityComparison comparison => Chart(PerplexityComparisonHtml.ToChart(comparison)) + PerplexityComparisonHtml.ToHtml(comparison),
        LanguageModelEvaluation evaluation => LanguageModelEvaluationHtml.ToHtml(evaluation),
        LanguageModelHistory history => Chart(LanguageModelHistoryChart.ToChart(history)),
        _ => null,
    };

    /// <summary>
    /// A live status is replaced in place while training runs, so it never carries plotly.js itself: a
    /// <see cref="TrainingPlan"/> shown first (as <c>#!train</c> does) brings it along in an output that stays.
    /// </summary>
    private string Live(TrainingStatus status) => (_plotlyJsEmitted ? "" : PlotlyJsOnce()) + TrainingStatusHtml.ToHtml(status, includePlotlyJs: false);

    private string PlotlyJsOnce()
    {
        if (_plotlyJsEmitted)
            return "";
        _plotlyJsEmitted = true;
        return PlotlyHtml.ScriptTag();
    }

    private string Chart(Plotly.NET.GenericChart chart)
    {
        var html = PlotlyHtml.Fragment(chart, includePlotlyJs: !_plotlyJsEmitted);
        _plotlyJsEmitted = true;
        return html;
    }
}
