using System.Globalization;
using System.Text;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Visualization;

/// <summary>HTML tables for selection records: CV comparisons and sortable search results.</summary>
public static class SelectionHtml
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The selected features as one line under a ranking chart.</summary>
    public static string SelectedLine(FeatureSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return "<div style=\"font-family:system-ui,sans-serif;font-size:13px;margin:4px 0\"><b>Selected</b> ("
            + selection.Selected.Count + " of " + selection.FeatureNames.Count + "): "
            + Html.Encode(string.Join(", ", selection.SelectedNames)) + "</div>";
    }

    /// <summary>One row per candidate: score mean ± std, per-fold scores, fit time, AIC/BIC, parameters; the best row in bold.</summary>
    public static string Comparison(CandidateComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var sb = new StringBuilder();
        sb.Append("<div style=\"font-family:system-ui,sans-serif;font-size:13px\">");
        sb.Append("<div style=\"font-weight:600;margin:4px 0\">").Append(Html.Encode(comparison.Title)).Append("</div>");
        var metrics = comparison.Candidates.Select(c => c.Metric).Distinct().ToArray();
        Html.TableStart(sb, "Candidate", metrics.Length == 1 ? $"{metrics[0]} (mean ± std)" : "score (mean ± std)", "Folds", "Fit time / fold", "AIC", "BIC", "Parameters");
        for (var i = 0; i < comparison.Candidates.Count; i++)
        {
            var r = comparison.Candidates[i];
            sb.Append(i == comparison.Best ? "<tr style=\"font-weight:600\">" : "<tr>");
            Html.Cell(sb, Html.Encode(r.Estimator));
            Html.Cell(sb, string.Format(C, "{0:F4} ± {1:F4}", r.Mean, r.Std) + (metrics.Length == 1 ? "" : " " + Html.Encode(r.Metric)), right: true);
            Html.Cell(sb, Html.Encode(string.Join(" ", r.Scores.Select(s => s.ToString("F3", C)))), monospace: true);
            Html.Cell(sb, Seconds(r.MeanFitSeconds), right: true);
            Html.Cell(sb, comparison.Aic[i] is { } aic ? aic.ToString("F1", C) : "—", right: true);
            Html.Cell(sb, comparison.Bic[i] is { } bic ? bic.ToString("F1", C) : "—", right: true);
            Html.Cell(sb, Html.Encode(Parameters(r.Parameters)));
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table><div style=\"color:#666;margin-top:4px\">Best mean score in bold. AIC/BIC: models refitted on all rows; lower is better; not defined for networks.</div></div>");
        return sb.ToString();
    }

    /// <summary>A single cross-validation result as a one-row comparison.</summary>
    public static string Single(CrossValidationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Comparison(new CandidateComparison($"{result.Dataset}: {result.CV} cross-validation", [result], [null], [null]));
    }

    /// <summary>
    /// The search's trials as a table sorted by mean score, re-sortable by clicking a column header; the best trial in bold.
    /// </summary>
    public static string Search(SearchResult search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var id = "pn-search-" + Guid.NewGuid().ToString("N")[..8];
        var names = search.ParameterNames;
        var sb = new StringBuilder();
        sb.Append("<div style=\"font-family:system-ui,sans-serif;font-size:13px\">");
        sb.Append("<div style=\"font-weight:600;margin:4px 0\">").Append(Html.Encode($"{search.Dataset} · {search.Method}")).Append("</div>");
        sb.Append("<div style=\"margin:2px 0 6px\">").Append(Html.Encode(string.Format(C,
            "{0} cross-validation, {1}; {2} trials in {3:F1} s (parallelism {4}). Best: {5} → {6:F4} ± {7:F4}",
            search.CV, search.Metric, search.Trials.Count, search.Seconds, search.Parallelism,
            string.Join(", ", search.Best.Parameters.Select(p => $"{p.Key}={Value(p.Value)}")), search.Best.Mean, search.Best.Std))).Append("</div>");
        sb.Append("<table id=\"").Append(id).Append("\" style=\"border-collapse:collapse\"><thead><tr>");
        var headers = new List<string> { "Rank", "#" };
        headers.AddRange(names);
        headers.AddRange([$"mean {search.Metric}", "std", "time (s)"]);
        if (search.Trials.Any(t => t.Resource is not null))
            headers.AddRange(["round", "budget"]);
        for (var h = 0; h < headers.Count; h++)
            sb.Append("<th style=\"text-align:left;border-bottom:2px solid #888;padding:2px 8px;cursor:pointer\" title=\"sort\" onclick=\"")
                .Append(SortScript(id, h)).Append("\">").Append(Html.Encode(headers[h])).Append(" ⇅</th>");
        sb.Append("</tr></thead><tbody>");
        var ranked = search.Trials.OrderByDescending(t => t.Mean).ThenBy(t => t.Index).ToArray();
        for (var r = 0; r < ranked.Length; r++)
        {
            var t = ranked[r];
            sb.Append(t.Index == search.BestIndex ? "<tr style=\"font-weight:600\">" : "<tr>");
            Html.Cell(sb, (r + 1).ToString(C), right: true);
            Html.Cell(sb, t.Index.ToString(C), right: true);
            foreach (var name in names)
                Html.Cell(sb, Html.Encode(t.Parameters.TryGetValue(name, out var v) ? Value(v) : ""), right: true);
            Html.Cell(sb, t.Mean.ToString("F4", C), right: true);
            Html.Cell(sb, t.Std.ToString("F4", C), right: true);
            Html.Cell(sb, t.Seconds.ToString("F2", C), right: true);
            if (headers.Count > names.Count + 5)
            {
                Html.Cell(sb, t.Round.ToString(C), right: true);
                Html.Cell(sb, t.Resource is { } budget ? budget.ToString("G4", C) : "", right: true);
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table></div>");
        return sb.ToString();
    }

    /// <summary>Inline handler: sorts the table's rows by column <paramref name="column"/>, numerically when it can, toggling direction.</summary>
    internal static string SortScript(string id, int column) =>
        "var t=document.getElementById('" + id + "'),b=t.tBodies[0],r=Array.from(b.rows),c=" + column.ToString(C)
        + ",d=t.getAttribute('data-sort')==c+'a'?-1:1;t.setAttribute('data-sort',c+(d>0?'a':'d'));"
        + "r.sort(function(x,y){var p=x.cells[c].textContent,q=y.cells[c].textContent,m=parseFloat(p),n=parseFloat(q);"
        + "return d*(isNaN(m)||isNaN(n)?p.localeCompare(q):m-n);});r.forEach(function(e){b.appendChild(e);});";

    private static string Value(object? value) => value switch
    {
        double d => d.ToString("G4", C),
        float f => f.ToString("G4", C),
        IFormattable f => f.ToString(null, C),
        _ => value?.ToString() ?? "",
    };

    private static string Parameters(IReadOnlyDictionary<string, object> parameters) =>
        string.Join(", ", parameters.Select(p => $"{p.Key}={Value(p.Value)}"));

    private static string Seconds(double seconds) => seconds < 1 ? (seconds * 1000).ToString("F1", C) + " ms" : seconds.ToString("F2", C) + " s";
}
