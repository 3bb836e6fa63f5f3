using System.Globalization;
using System.Text;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Visualization;

/// <summary>
/// Renders a <see cref="SurgeryReport"/> as HTML: before/after figures, what was removed of what was asked (and why any
/// was kept), the rebuilt layers and, for layer pruning, the ranking.
/// </summary>
public static class SurgeryReportHtml
{
    /// <summary>
    /// A before/after table (parameters, MACs, measured latency, accuracy) with the reduction of each; how many units
    /// (or layers) were removed of those requested, with one row per group that kept some and why; then one row per
    /// rebuilt layer (units and inputs before → after) and, when layers were considered for dropping, their ranking.
    /// </summary>
    public static string ToHtml(SurgeryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append("<div class=\"prunenotebook-surgery\" style=\"font-family:system-ui,sans-serif;font-size:13px\">");
        sb.Append("<div style=\"font-weight:600;margin:4px 0\">").Append(Html.Encode(report.ModelName)).Append(" · ")
          .Append(Html.Encode(report.Operation)).Append("</div>");
        Html.TableStart(sb, "", "Before", "After", "Change");
        Row(sb, "Parameters", Html.Count(report.Before.Parameters), Html.Count(report.After.Parameters), Times(report.ParameterReduction) + " fewer");
        Row(sb, "MACs per example", Html.Compact(report.Before.Macs), Html.Compact(report.After.Macs), Times(report.MacReduction) + " fewer");
        Row(sb, $"Latency (batch {report.LatencyBatch})", Milliseconds(report.Before.LatencyMilliseconds), Milliseconds(report.After.LatencyMilliseconds),
            Times(report.Speedup) + " faster");
        if (report.Before.ChannelsLastLatencyMilliseconds is { } lastBefore && report.After.ChannelsLastLatencyMilliseconds is { } lastAfter)
            Row(sb, "Latency, channels-last batch", Milliseconds(lastBefore), Milliseconds(lastAfter),
                Times(lastAfter <= 0 ? double.PositiveInfinity : lastBefore / lastAfter) + " faster");
        if (report.Before.Accuracy is { } before && report.After.Accuracy is { } after)
            Row(sb, "Accuracy", Html.Percent(before, 2), Html.Percent(after, 2),
                ((after - before) * 100).ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture) + " pt");
        sb.Append("</tbody></table>");
        if (report.ChannelsLastSpeedup is { } served && served > report.Speedup)
            sb.Append("<div style=\"margin:4px 0;color:#555\">Served channels-last (<code>MemoryLayout.UseChannelsLast</code>, or <code>--channels-last</code>), the new network runs ")
              .Append(Times(served)).Append(" faster than the old one did as it was called.</div>");

        if (report.Removal is { } removal)
            Removal(sb, removal);

        if (report.Layers.Count > 0)
        {
            sb.Append("<div style=\"margin:8px 0 4px;font-weight:600\">Rebuilt layers</div>");
            Html.TableStart(sb, "Layer", "Type", "Units", "Inputs");
            foreach (var layer in report.Layers)
            {
                sb.Append("<tr>");
                Html.Cell(sb, Html.Encode(layer.Name), monospace: true);
                Html.Cell(sb, Html.Encode(layer.Type));
                Html.Cell(sb, Change(layer.OutputsBefore, layer.OutputsAfter), right: true);
                Html.Cell(sb, Change(layer.InputsBefore, layer.InputsAfter), right: true);
                sb.Append("</tr>");
            }
            sb.Append("</tbody></table>");
        }

        if (report.Candidates.Count > 0)
        {
            sb.Append("<div style=\"margin:8px 0 4px;font-weight:600\">Layers ranked by accuracy when bypassed</div>");
            Html.TableStart(sb, "Layer", "Type", "Accuracy bypassed", "Dropped");
            foreach (var candidate in report.Candidates)
            {
                sb.Append("<tr>");
                Html.Cell(sb, Html.Encode(candidate.Name), monospace: true);
                Html.Cell(sb, Html.Encode(candidate.Type) + (candidate.Calls > 1 ? $" (called {candidate.Calls}×, bypassed at every call)" : ""));
                Html.Cell(sb, Html.Percent(candidate.AccuracyWhenBypassed, 2), right: true);
                Html.Cell(sb, candidate.Dropped ? "✓" : "");
                sb.Append("</tr>");
            }
            sb.Append("</tbody></table>");
        }
        sb.Append("</div>");
        return sb.ToString();
    }

    /// <summary>"Removed N of M requested units", and when some were kept, a row per group: its size, how many it kept, why.</summary>
    private static void Removal(StringBuilder sb, RemovalSummary removal)
    {
        sb.Append("<div style=\"margin:6px 0 4px").Append(removal.FellShort ? ";font-weight:600;color:#a15c00" : ";color:#555").Append("\">Removed ")
          .Append(Html.Count(removal.Removed)).Append(" of ").Append(Html.Count(removal.Requested)).Append(" requested ").Append(Html.Encode(removal.Unit))
          .Append(removal.FellShort ? $"; {Html.Count(removal.KeptTotal)} could not be:" : ".").Append("</div>");
        if (!removal.FellShort)
            return;
        Html.TableStart(sb, "Group", "Units", "Kept of the request", "Why");
        foreach (var kept in removal.Kept)
        {
            sb.Append("<tr>");
            Html.Cell(sb, Html.Encode(kept.Group), monospace: true);
            Html.Cell(sb, Html.Count(kept.Size), right: true);
            Html.Cell(sb, Html.Count(kept.Units), right: true);
            Html.Cell(sb, Html.Encode(kept.Reason));
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
    }

    private static void Row(StringBuilder sb, string label, string before, string after, string change)
    {
        sb.Append("<tr>");
        Html.Cell(sb, Html.Encode(label));
        Html.Cell(sb, before, right: true);
        Html.Cell(sb, after, right: true);
        Html.Cell(sb, change, right: true); // our own text: digits, ×, −
        sb.Append("</tr>");
    }

    private static string Change(long before, long after) =>
        before == after ? Html.Count(after) : $"{Html.Count(before)} → {Html.Count(after)}";

    private static string Times(double ratio) =>
        double.IsInfinity(ratio) ? "∞×" : ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    private static string Milliseconds(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + " ms";
}
