using System.Text;
using PruneNotebook.Core.Analysis;

namespace PruneNotebook.Visualization;

/// <summary>Renders a <see cref="NetworkSummary"/> as an HTML table.</summary>
public static class NetworkSummaryHtml
{
    /// <summary>
    /// A self-contained HTML fragment (inline styles only): one row per executed layer with name, type,
    /// output shape, kernel, parameters, nonzero parameters, dense MACs and nonzero MACs, then totals and a
    /// note naming any layer types whose MACs could not be counted.
    /// </summary>
    public static string ToHtml(NetworkSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var sb = new StringBuilder();
        sb.Append("<div class=\"prunenotebook-summary\" style=\"font-family:system-ui,sans-serif;font-size:13px\">");
        sb.Append("<div style=\"font-weight:600;margin:4px 0\">")
          .Append(Html.Encode(summary.ModelName)).Append(" · input ").Append(Html.Shape(summary.InputShape))
          .Append("</div>");
        Html.TableStart(sb, "#", "Layer", "Type", "Output shape", "Kernel", "Params", "Nonzero params", "MACs", "Nonzero MACs");
        for (var i = 0; i < summary.Layers.Count; i++)
        {
            var layer = summary.Layers[i];
            sb.Append("<tr>");
            Html.Cell(sb, (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Html.Cell(sb, Html.Encode(layer.Name), monospace: true);
            Html.Cell(sb, Html.Encode(layer.Type));
            Html.Cell(sb, Html.Shape(layer.OutputShape));
            Html.Cell(sb, Html.Encode(layer.KernelSize ?? ""));
            Html.Cell(sb, Html.Count(layer.Parameters), right: true);
            Html.Cell(sb, Html.Count(layer.NonzeroParameters), right: true);
            Html.Cell(sb, layer.Macs is { } macs ? Html.Count(macs) : "not counted", right: true);
            Html.Cell(sb, layer.NonzeroMacs is { } nz ? Html.Count(nz) : "not counted", right: true);
            sb.Append("</tr>");
        }
        sb.Append("</tbody><tfoot><tr style=\"font-weight:600;border-top:2px solid #888\">");
        Html.Cell(sb, "");
        Html.Cell(sb, "Total");
        Html.Cell(sb, "");
        Html.Cell(sb, "");
        Html.Cell(sb, "");
        Html.Cell(sb, Html.Count(summary.TotalParameters), right: true);
        Html.Cell(sb, Html.Count(summary.TotalNonzeroParameters), right: true);
        Html.Cell(sb, Html.Count(summary.TotalMacs), right: true);
        Html.Cell(sb, Html.Count(summary.TotalNonzeroMacs), right: true);
        sb.Append("</tr></tfoot></table>");
        sb.Append("<div style=\"margin:4px 0;color:#555\">")
          .Append(Html.Compact(summary.TotalParameters)).Append(" parameters, ")
          .Append(Html.Percent(summary.Sparsity)).Append(" zeros · ")
          .Append(Html.Compact(summary.TotalMacs)).Append(" MACs dense, ")
          .Append(Html.Compact(summary.TotalNonzeroMacs)).Append(" counting only nonzero weights")
          .Append("</div>");
        if (summary.UncountedLayerTypes.Count > 0)
        {
            sb.Append("<div style=\"margin:4px 0;color:#a40\">MACs not counted for layer types: ")
              .Append(Html.Encode(string.Join(", ", summary.UncountedLayerTypes)))
              .Append(" (the MAC totals leave them out).</div>");
        }
        sb.Append("</div>");
        return sb.ToString();
    }
}
