using System.Globalization;
using System.Text;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Visualization;

/// <summary>A tradeoff study as HTML: what was compared, mean ± std per criterion and target (sortable), and every trial.</summary>
public static class TradeoffHtml
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The summary line, the sortable table of points, the trials (folded) and any failures.</summary>
    public static string ToHtml(TradeoffResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        sb.Append("<div style=\"font-family:system-ui,sans-serif;font-size:13px\">");
        sb.Append("<div style=\"font-weight:600;margin:4px 0\">").Append(Html.Encode(result.Name)).Append("</div>");
        sb.Append("<div style=\"margin:2px 0 6px\">").Append(Html.Encode(string.Format(C,
            "{0} on {1}: dense {2}, {3} parameters, {4} MACs. Each pruned model fine-tuned for {5}. {6} trials ({7} failed) · {8} · {9:F1} s · {10}",
            result.Model, result.Dataset, double.IsNaN(result.DenseAccuracy) ? "not evaluated" : Html.Percent(result.DenseAccuracy, 2),
            Html.Count(result.DenseParameters), Html.Count(result.DenseMacs), result.FineTuning, result.Trials.Count + result.Failures.Count,
            result.Failures.Count, result.Backend, result.Seconds, result.SweepDirectory))).Append("</div>");
        var measured = result.Points.Any(p => p.MeasuredSpeedup is not null);
        Table(sb, "pn-tradeoff-", ["criterion", "target", "seeds", "compression ×", "± ", "theoretical speedup ×", "±", .. measured ? new[] { "measured speedup ×", "± " } : [],
                "accuracy before fine-tuning %", "±", "accuracy %", "± "],
            result.Points.Select(p => (IReadOnlyList<string>)[Html.Encode(p.Criterion), p.Target.ToString("G4", C), p.Seeds.ToString(C),
                p.Compression.ToString("F2", C), p.CompressionStd.ToString("F2", C), p.TheoreticalSpeedup.ToString("F2", C), p.TheoreticalSpeedupStd.ToString("F2", C),
                .. measured ? new[] { p.MeasuredSpeedup?.ToString("F2", C) ?? "", p.MeasuredSpeedupStd?.ToString("F2", C) ?? "" } : [],
                (100 * p.AccuracyBeforeFineTuning).ToString("F2", C), (100 * p.AccuracyBeforeFineTuningStd).ToString("F2", C),
                (100 * p.Accuracy).ToString("F2", C), (100 * p.AccuracyStd).ToString("F2", C)]));
        sb.Append("<details style=\"margin-top:6px\"><summary>").Append(result.Trials.Count.ToString(C)).Append(" trials</summary>");
        Table(sb, "pn-tradeoff-trials-", ["trial", "criterion", "target", "seed", "parameters", "nonzero", "MACs", "nonzero MACs", "compression ×", "theoretical speedup ×",
                .. measured ? new[] { "measured speedup ×", "latency ms" } : [], "accuracy before fine-tuning %", "accuracy %"],
            result.Trials.Select(t => (IReadOnlyList<string>)[t.Index.ToString(C), Html.Encode(t.Criterion), t.Target.ToString("G4", C), t.Seed.ToString(C),
                t.Parameters.ToString(C), t.NonzeroParameters.ToString(C), t.Macs.ToString(C), t.NonzeroMacs.ToString(C), t.Compression.ToString("F2", C),
                t.TheoreticalSpeedup.ToString("F2", C), .. measured ? new[] { t.MeasuredSpeedup?.ToString("F2", C) ?? "", t.LatencyMilliseconds?.ToString("F3", C) ?? "" } : [],
                (100 * t.AccuracyBeforeFineTuning).ToString("F2", C), (100 * t.Accuracy).ToString("F2", C)]));
        sb.Append("</details>");
        foreach (var failure in result.Failures)
            sb.Append("<div style=\"color:#b00\">").Append(Html.Encode(failure)).Append("</div>");
        sb.Append("</div>");
        return sb.ToString();
    }

    /// <summary>A table whose rows re-sort when a column header is clicked (numerically where the cells are numbers).</summary>
    private static void Table(StringBuilder sb, string prefix, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var id = prefix + Guid.NewGuid().ToString("N")[..8];
        sb.Append("<table id=\"").Append(id).Append("\" style=\"border-collapse:collapse\"><thead><tr>");
        for (var h = 0; h < headers.Count; h++)
            sb.Append("<th style=\"text-align:left;border-bottom:2px solid #888;padding:2px 8px;cursor:pointer\" title=\"sort\" onclick=\"")
                .Append(SelectionHtml.SortScript(id, h)).Append("\">").Append(Html.Encode(headers[h].Trim())).Append(" ⇅</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            for (var c = 0; c < row.Count; c++)
                Html.Cell(sb, row[c], right: c > 0 && row[c].Length > 0 && (char.IsAsciiDigit(row[c][0]) || row[c][0] == '-'));
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
    }
}
