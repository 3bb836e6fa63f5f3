using System.Globalization;
using System.Text;
using PruneNotebook.Core.Recipes;

namespace PruneNotebook.Visualization;

/// <summary>
/// A recipe's results as one HTML page: per step its line of text and the table or chart its magic shows, plotly.js
/// inlined once, so the file opens offline. Written by a recipe's <c>report</c> step and by <c>prunenotebook run --report</c>.
/// </summary>
public static class RecipeReportHtml
{
    /// <summary>The page for <paramref name="results"/>, titled <paramref name="title"/>.</summary>
    public static string Page(string title, IReadOnlyList<RecipeStepResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var renderer = new NotebookRenderer();
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(Html.Encode(title)).Append("</title>")
            .Append("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}h2{font-size:1.05em;margin-top:2em}p.step{font-family:monospace}</style>")
            .Append("</head><body><h1>").Append(Html.Encode(title)).Append("</h1>");
        foreach (var result in results)
        {
            sb.Append("<h2>").Append(result.Index.ToString(CultureInfo.InvariantCulture)).Append(". ").Append(Html.Encode(result.Kind))
                .Append(" <small>(line ").Append(result.Line.ToString(CultureInfo.InvariantCulture)).Append(")</small></h2>")
                .Append("<p class=\"step\">").Append(Html.Encode(result.Text)).Append("</p>");
            if (result.Record is { } record && renderer.Render(record) is { } html)
                sb.Append(html);
        }
        return sb.Append("</body></html>").ToString();
    }
}
