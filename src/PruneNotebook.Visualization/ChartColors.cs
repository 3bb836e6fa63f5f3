using Plotly.NET;

namespace PruneNotebook.Visualization;

/// <summary>Plotly's default palette by index, so that a series keeps its colour in every panel of a chart.</summary>
internal static class ChartColors
{
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>The colour of series <paramref name="index"/> (the palette repeats after ten).</summary>
    public static Color Of(int index) => Color.fromString(Palette[index % Palette.Length]);
}
