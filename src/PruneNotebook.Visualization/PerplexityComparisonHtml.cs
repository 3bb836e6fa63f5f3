using System.Globalization;
using System.Text;
using Plotly.NET;
using Plotly.NET.CSharp;
using PruneNotebook.Core.Reports;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace PruneNotebook.Visualization;

/// <summary>A <see cref="PerplexityComparison"/> as a chart (one bar group per setting, one bar per criterion, the dense perplexity as a line) and a table.</summary>
public static class PerplexityComparisonHtml
{
    /// <summary>The criterion's name as the papers write it (<c>l1</c> is magnitude).</summary>
    public static string Label(string criterion) => criterion == "l1" ? "magnitude" : criterion;

    /// <summary>Bars of validation perplexity by setting and criterion, with the dense perplexity drawn across.</summary>
    public static GenericChart ToChart(PerplexityComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var settings = comparison.Entries.Select(e => e.Setting).Distinct().ToList();
        var bars = comparison.Entries.Select(e => e.Criterion).Distinct()
            .Select(c => CSharpChart.Column<double, string, string>(
                values: settings.Select(s => comparison.Entries.FirstOrDefault(e => e.Setting == s && e.Criterion == c)?.Perplexity ?? double.NaN).ToArray(),
                Keys: settings.Select(SettingLabel).ToArray(), Name: Label(c)))
            .ToList();
        bars.Add(CSharpChart.Line<string, double, string>(
            x: settings.Select(SettingLabel).ToArray(), y: settings.Select(_ => comparison.DensePerplexity).ToArray(), Name: "dense", ShowMarkers: true));
        return CSharpChart.Combine(bars)
            .WithXAxisStyle<double, double, string>(TitleText: "sparsity")
            .WithYAxisStyle<double, double, string>(TitleText: "validation perplexity (lower is better)")
            .WithSize(Width: 800, Height: 420)
            .WithTitleText($"{comparison.Model} · one-shot pruning, no fine-tuning");
    }

    /// <summary>A table: setting, criterion, perplexity, its increase over dense, and the pruning time.</summary>
    public static string ToHtml(PerplexityComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var sb = new StringBuilder();
        Html.TableStart(sb, "sparsity", "criterion", "validation perplexity", "over dense", "pruning time");
        sb.Append("<tr>");
        Html.Cell(sb, "dense");
        Html.Cell(sb, "—");
        Html.Cell(sb, Format(comparison.DensePerplexity), right: true);
        Html.Cell(sb, "");
        Html.Cell(sb, "");
        sb.Append("</tr>");
        foreach (var e in comparison.Entries)
        {
            sb.Append("<tr>");
            Html.Cell(sb, Html.Encode(SettingLabel(e.Setting)));
            Html.Cell(sb, Html.Encode(Label(e.Criterion)));
            Html.Cell(sb, Format(e.Perplexity), right: true);
            Html.Cell(sb, "+" + Format(e.Perplexity - comparison.DensePerplexity), right: true);
            Html.Cell(sb, e.Seconds.ToString("F1", CultureInfo.InvariantCulture) + " s", right: true);
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        return sb.ToString();
    }

    private static string SettingLabel(string setting) =>
        setting.Contains(':', StringComparison.Ordinal) ? setting : double.TryParse(setting, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f < 1 ? Html.Percent(f, 0) + " unstructured" : setting;

    private static string Format(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
