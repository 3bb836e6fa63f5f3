using System.Text;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Visualization;

/// <summary>Renders a <see cref="SparsityReport"/> as an HTML table.</summary>
public static class SparsityReportHtml
{
    /// <summary>One row per parameter (shape, entries, zeros, sparsity, dead units and inputs, masked) and a total row.</summary>
    public static string ToHtml(SparsityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append("<div class=\"prunenotebook-sparsity\" style=\"font-family:system-ui,sans-serif;font-size:13px\">");
        sb.Append("<div style=\"font-weight:600;margin:4px 0\">").Append(Html.Encode(report.ModelName)).Append(" · sparsity</div>");
        Html.TableStart(sb, "Parameter", "Shape", "Entries", "Zeros", "Sparsity", "Dead units", "Dead inputs", "Masked");
        foreach (var p in report.Parameters)
        {
            sb.Append("<tr>");
            Html.Cell(sb, Html.Encode(p.Name), monospace: true);
            Html.Cell(sb, Html.Shape(p.Shape));
            Html.Cell(sb, Html.Count(p.Count), right: true);
            Html.Cell(sb, Html.Count(p.Zeros), right: true);
            Html.Cell(sb, Bar(p.Sparsity), right: false);
            Html.Cell(sb, $"{Html.Count(p.DeadUnits)} / {Html.Count(p.Units)}", right: true);
            Html.Cell(sb, p.Inputs == 0 ? "" : $"{Html.Count(p.DeadInputs)} / {Html.Count(p.Inputs)}", right: true);
            Html.Cell(sb, p.Masked ? p.Pattern is { } pattern ? $"✓ {Html.Encode(pattern)}" : "✓" : "");
            sb.Append("</tr>");
        }
        sb.Append("</tbody><tfoot><tr style=\"font-weight:600\">");
        Html.Cell(sb, "Total");
        Html.Cell(sb, "");
        Html.Cell(sb, Html.Count(report.Total), right: true);
        Html.Cell(sb, Html.Count(report.Zeros), right: true);
        Html.Cell(sb, Bar(report.Sparsity));
        Html.Cell(sb, "");
        Html.Cell(sb, "");
        Html.Cell(sb, "");
        sb.Append("</tr></tfoot></table>");
        var compression = double.IsInfinity(report.Compression) ? "∞" : report.Compression.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture);
        sb.Append("<div style=\"margin:4px 0;color:#555\">").Append(Html.Percent(report.Sparsity)).Append(" of ")
          .Append(Html.Compact(report.Total)).Append(" parameters are zero: ").Append(compression).Append("× fewer nonzero weights</div>");
        sb.Append("</div>");
        return sb.ToString();
    }

    private static string Bar(double fraction)
    {
        var width = (int)Math.Round(fraction * 80);
        return $"<span style=\"display:inline-block;width:80px;height:8px;background:#e6eef7;vertical-align:middle\"><span style=\"display:block;width:{width}px;height:8px;background:#c0392b\"></span></span> {Html.Percent(fraction)}";
    }
}
