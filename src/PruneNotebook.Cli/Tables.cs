using System.Globalization;
using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Selection;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PruneNotebook.Cli;

/// <summary>Core records as console tables.</summary>
internal static class Tables
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static IRenderable Summary(NetworkSummary summary)
    {
        var table = new Table().Title($"{summary.ModelName} · input ({string.Join(", ", summary.InputShape)})")
            .AddColumns("layer", "type", "output", "params", "nonzero", "MACs", "nonzero MACs");
        foreach (var layer in summary.Layers)
        {
            table.AddRow(Markup.Escape(layer.Name), layer.Type, $"({string.Join(", ", layer.OutputShape)})", Count(layer.Parameters),
                Count(layer.NonzeroParameters), layer.Macs is { } m ? Count(m) : "?", layer.NonzeroMacs is { } n ? Count(n) : "?");
        }
        table.AddRow("[bold]total[/]", "", "", Count(summary.TotalParameters), Count(summary.TotalNonzeroParameters), Count(summary.TotalMacs), Count(summary.TotalNonzeroMacs));
        foreach (var column in table.Columns.Skip(3))
            column.RightAligned();
        return table;
    }

    public static IRenderable Sparsity(SparsityReport report)
    {
        var table = new Table().Title($"{report.ModelName} · {Percent(report.Sparsity)} zeros · {report.Compression.ToString("F1", C)}× compression")
            .AddColumns("parameter", "shape", "zeros", "sparsity", "dead units", "masked");
        foreach (var p in report.Parameters)
        {
            table.AddRow(Markup.Escape(p.Name), $"({string.Join(", ", p.Shape)})", $"{Count(p.Zeros)} / {Count(p.Count)}", Percent(p.Sparsity),
                $"{p.DeadUnits} / {p.Units}", p.Masked ? p.Pattern is { } pattern ? $"yes, {pattern}" : "yes" : "");
        }
        return table;
    }

    public static IRenderable History(TrainingHistory history)
    {
        var table = new Table().Title(Markup.Escape($"{history.ModelName} · {history.Optimizer} · batch {history.BatchSize}"
                + (history.Schedule is { } s ? $" · {s}" : "") + (history.Regularizer is { } r ? $" · {r}" : "")))
            .AddColumns("epoch", "train loss", "train acc", "val loss", "val acc", "penalty", "lr", "seconds");
        foreach (var e in history.Epochs)
        {
            table.AddRow(e.Epoch.ToString(C), e.TrainLoss.ToString("F4", C), e.TrainAccuracy is { } ta ? Percent(ta) : "", e.TestLoss?.ToString("F4", C) ?? "",
                e.TestAccuracy is { } va ? Percent(va) : "", e.Penalty == 0 ? "" : e.Penalty.ToString("G4", C), e.LearningRate.ToString("G4", C), e.Seconds.ToString("F1", C));
        }
        return table;
    }

    public static IRenderable Surgery(SurgeryReport report)
    {
        var table = new Table().Title(Markup.Escape($"{report.ModelName} · {report.Operation}"))
            .AddColumns("", "before", "after", "change");
        table.AddRow("parameters", Count(report.Before.Parameters), Count(report.After.Parameters), Ratio(report.ParameterReduction) + " fewer");
        table.AddRow("MACs", Count(report.Before.Macs), Count(report.After.Macs), Ratio(report.MacReduction) + " fewer");
        table.AddRow($"latency (batch {report.LatencyBatch})", Ms(report.Before.LatencyMilliseconds), Ms(report.After.LatencyMilliseconds), Ratio(report.Speedup) + " faster");
        if (report.Before.Accuracy is { } before && report.After.Accuracy is { } after)
            table.AddRow("accuracy", Percent(before), Percent(after), ((after - before) * 100).ToString("+0.00;-0.00;0.00", C) + " points");
        foreach (var column in table.Columns.Skip(1))
            column.RightAligned();
        if (report.Layers.Count == 0)
            return table;
        var layers = new Table().Title("layers rebuilt").AddColumns("layer", "type", "outputs", "inputs");
        foreach (var layer in report.Layers)
            layers.AddRow(Markup.Escape(layer.Name), layer.Type, $"{layer.OutputsBefore} → {layer.OutputsAfter}", $"{layer.InputsBefore} → {layer.InputsAfter}");
        return new Rows(table, layers);
    }

    public static IRenderable DropCandidates(IReadOnlyList<LayerDropCandidate> candidates)
    {
        var table = new Table().Title("layers ranked by the accuracy left when bypassed").AddColumns("layer", "type", "accuracy bypassed", "dropped");
        foreach (var c in candidates)
            table.AddRow(Markup.Escape(c.Name), c.Type, Percent(c.AccuracyWhenBypassed), c.Dropped ? "yes" : "");
        return table;
    }

    public static IRenderable Sensitivity(SensitivityReport report)
    {
        var sparsities = report.Curves.Count == 0 ? [] : report.Curves[0].Sparsities;
        var table = new Table().Title(Markup.Escape($"{report.ModelName} · {report.Criterion} · baseline {Percent(report.BaselineAccuracy)}"))
            .AddColumn("parameter").AddColumn("weights").AddColumns(sparsities.Select(s => Percent(s)).ToArray());
        foreach (var curve in report.Curves)
            table.AddRow([Markup.Escape(curve.Parameter), Count(curve.Count), .. curve.Accuracies.Select(a => Percent(a))]);
        foreach (var column in table.Columns.Skip(1))
            column.RightAligned();
        return table;
    }

    public static IRenderable Features(FeatureSelection selection)
    {
        var table = new Table().Title(Markup.Escape($"{selection.Dataset} · {selection.Method} · {selection.Selected.Count} of {selection.FeatureNames.Count} kept"))
            .AddColumns("feature", Markup.Escape(selection.ScoreLabel), "rank", "selected");
        foreach (var i in Enumerable.Range(0, selection.FeatureNames.Count).OrderBy(i => selection.Ranking[i]).ThenByDescending(i => selection.Scores[i]))
        {
            table.AddRow(Markup.Escape(selection.FeatureNames[i]), selection.Scores[i].ToString("G4", C)
                + (selection.ScoreStd is { } std ? " ± " + std[i].ToString("G3", C) : ""), selection.Ranking[i].ToString(C), selection.Selected.Contains(i) ? "yes" : "");
        }
        return table;
    }

    public static IRenderable Comparison(CandidateComparison comparison)
    {
        var metric = comparison.Candidates.Count == 0 ? "score" : comparison.Candidates[0].Metric;
        var table = new Table().Title(Markup.Escape($"{comparison.Title} · {metric}"))
            .AddColumns("estimator", "parameters", "mean", "std", "folds", "AIC", "BIC", "fit s");
        for (var i = 0; i < comparison.Candidates.Count; i++)
        {
            var c = comparison.Candidates[i];
            table.AddRow((i == comparison.Best ? "[bold]" : "") + Markup.Escape(c.Estimator) + (i == comparison.Best ? "[/]" : ""), Markup.Escape(Parameters(c.Parameters)),
                c.Mean.ToString("F4", C), c.Std.ToString("F4", C), string.Join(" ", c.Scores.Select(s => s.ToString("F3", C))),
                comparison.Aic[i]?.ToString("F1", C) ?? "", comparison.Bic[i]?.ToString("F1", C) ?? "", c.MeanFitSeconds.ToString("F2", C));
        }
        return table;
    }

    public static IRenderable Search(SearchResult result)
    {
        var names = result.ParameterNames;
        var table = new Table().Title(Markup.Escape($"{result.Method} · {result.Dataset} · {result.CV} · {result.Metric} · best trial {result.Best.Index}"))
            .AddColumn("trial").AddColumns(names.Select(Markup.Escape).ToArray()).AddColumns("round", "mean", "std", "seconds");
        foreach (var t in result.Trials)
        {
            var best = t.Index == result.Best.Index && t.Round == result.Best.Round;
            table.AddRow([(best ? "*" : "") + t.Index.ToString(C), .. names.Select(n => Markup.Escape(t.Parameters.TryGetValue(n, out var v) ? ParameterGrid.Format(v) : "")),
                t.Round.ToString(C), t.Mean.ToString("F4", C), t.Std.ToString("F4", C), t.Seconds.ToString("F2", C)]);
        }
        return table;
    }

    private static string Parameters(IReadOnlyDictionary<string, object> parameters) => parameters.Count == 0 ? "" : ParameterGrid.Format(parameters);

    private static string Ratio(double ratio) => double.IsPositiveInfinity(ratio) ? "∞×" : ratio.ToString("F2", C) + "×";

    private static string Ms(double milliseconds) => milliseconds.ToString("F2", C) + " ms";

    public static string Percent(double fraction) => (100 * fraction).ToString("F2", C) + " %";

    private static string Count(long value) => value.ToString("N0", C);
}
