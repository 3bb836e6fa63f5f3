using System.Reflection;
using Plotly.NET;

namespace PruneNotebook.Visualization;

/// <summary>
/// Turns Plotly.NET charts into HTML that renders with no internet: plotly.js comes from the copy
/// embedded in Plotly.NET.dll, never from a CDN.
/// </summary>
public static class PlotlyHtml
{
    private static readonly Lazy<string> PlotlyJs = new(ReadEmbeddedPlotlyJs);

    /// <summary>The plotly.js version inlined by <see cref="ScriptTag"/>.</summary>
    public static string PlotlyJsVersion => Globals.PLOTLYJS_VERSION;

    /// <summary>
    /// A <c>&lt;script&gt;</c> element holding the whole of plotly.js (~3.6 MB) that defines the global <c>Plotly</c>;
    /// include it once per page.
    /// </summary>
    /// <remarks>
    /// Jupyter's pages (and nbconvert's HTML export) load RequireJS. plotly.js's UMD header would then
    /// register itself as an anonymous AMD module (failing with "Mismatched anonymous define()") instead of
    /// setting <c>window.Plotly</c>, so the library runs with <c>define</c>, <c>module</c> and <c>exports</c> hidden.
    /// </remarks>
    public static string ScriptTag() =>
        "<script type=\"text/javascript\">(function (define, module, exports) {\n" + PlotlyJs.Value
        + "\n}).call(window, undefined, undefined, undefined);</script>";

    /// <summary>
    /// The chart's <c>&lt;div&gt;</c> and drawing script. With <paramref name="includePlotlyJs"/> plotly.js is inlined
    /// before it; otherwise the page must already have loaded it (see <see cref="ScriptTag"/>).
    /// </summary>
    public static string Fragment(GenericChart chart, bool includePlotlyJs)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var html = GenericChart.toChartHTML(chart);
        return includePlotlyJs ? ScriptTag() + html : html;
    }

    /// <summary>A complete HTML page with plotly.js inlined, for saving to a file.</summary>
    public static string Page(GenericChart chart, string title)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + Html.Encode(title) + "</title>"
            + ScriptTag() + "</head><body>" + GenericChart.toChartHTML(chart) + "</body></html>";
    }

    private static string ReadEmbeddedPlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = $"Plotly.NET.plotly-{Globals.PLOTLYJS_VERSION}.min.js";
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Plotly.NET {assembly.GetName().Version} does not embed '{name}'; cannot render charts offline.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
