using System.Globalization;
using System.Net;
using System.Text;

namespace PruneNotebook.Visualization;

/// <summary>Small helpers for building HTML fragments.</summary>
internal static class Html
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>An integer with thousands separators, e.g. 61,706.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A large count in engineering units, e.g. 416.5 K or 2.3 M.</summary>
    public static string Compact(long value) => value switch
    {
        >= 1_000_000_000 => (value / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + " G",
        >= 1_000_000 => (value / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + " M",
        >= 10_000 => (value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + " K",
        _ => Count(value),
    };

    public static string Percent(double fraction, int decimals = 1) =>
        (fraction * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + " %";

    public static string Shape(IEnumerable<long> shape) => "(" + string.Join(", ", shape) + ")";

    /// <summary>Opens a table with the shared style: the header row, then an open <c>&lt;tbody&gt;</c>.</summary>
    public static void TableStart(StringBuilder sb, params string[] headers)
    {
        sb.Append("<table style=\"border-collapse:collapse\"><thead><tr>");
        foreach (var header in headers)
            sb.Append("<th style=\"text-align:left;border-bottom:2px solid #888;padding:2px 8px\">").Append(Encode(header)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
    }

    /// <summary>Appends a table cell with the shared inline style; <paramref name="content"/> must already be HTML.</summary>
    public static void Cell(StringBuilder sb, string content, bool right = false, bool monospace = false)
    {
        sb.Append("<td style=\"padding:2px 8px;border-bottom:1px solid #ddd");
        if (right)
            sb.Append(";text-align:right;font-variant-numeric:tabular-nums");
        if (monospace)
            sb.Append(";font-family:monospace");
        sb.Append("\">").Append(content).Append("</td>");
    }
}
