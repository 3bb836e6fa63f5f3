using Microsoft.FSharp.Core;
using Plotly.NET;

namespace PruneNotebook.Visualization;

/// <summary>Plotly.NET's title setter, which Plotly.NET.CSharp 0.14 does not wrap.</summary>
internal static class ChartTitles
{
    public static GenericChart WithTitleText(this GenericChart chart, string title) =>
        Plotly.NET.Chart.withTitle(title, FSharpOption<Font>.None).Invoke(chart);
}
