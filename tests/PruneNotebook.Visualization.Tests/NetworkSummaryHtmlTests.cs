using PruneNotebook.Core.Analysis;
using PruneNotebook.Visualization;

namespace PruneNotebook.Visualization.Tests;

public class NetworkSummaryHtmlTests
{
    private static readonly NetworkSummary Summary = new(
        "TinyNet",
        [1, 1, 28, 28],
        [
            new LayerSummary("features.conv1", "Conv2d", [1, 6, 28, 28], 156, 131, 117_600, 98_000, "5×5"),
            new LayerSummary("act<x>", "ReLU", [1, 6, 28, 28], 0, 0, 0, 0, null),
            new LayerSummary("gate", "Gate", [1, 10], 3, 3, null, null, null),
        ],
        159, 134, 117_600, 98_000, ["Gate"]);

    [Fact]
    public void The_table_holds_every_layer_with_its_numbers()
    {
        var html = NetworkSummaryHtml.ToHtml(Summary);
        Assert.Contains(">features.conv1<", html);
        Assert.Contains(">Conv2d<", html);
        Assert.Contains(">(1, 6, 28, 28)<", html);
        Assert.Contains(">5×5<", System.Net.WebUtility.HtmlDecode(html));
        Assert.Contains(">117,600<", html);
        Assert.Contains(">98,000<", html);
        Assert.Contains(">131<", html);
        var body = html[html.IndexOf("<tbody>", StringComparison.Ordinal)..html.IndexOf("</tbody>", StringComparison.Ordinal)];
        Assert.Equal(3, CountOf(body, "<tr>"));
    }

    [Fact]
    public void The_totals_row_and_sparsity_line_show_the_summary_totals()
    {
        var html = NetworkSummaryHtml.ToHtml(Summary);
        Assert.Contains("<tfoot>", html);
        Assert.Contains(">159<", html);
        Assert.Contains(">134<", html);
        Assert.Contains("15.7 % zeros", html);
    }

    [Fact]
    public void Uncounted_layer_types_are_named_and_marked()
    {
        var html = NetworkSummaryHtml.ToHtml(Summary);
        Assert.Contains(">not counted<", html);
        Assert.Contains("MACs not counted for layer types: Gate", html);
    }

    [Fact]
    public void Layer_names_are_html_encoded()
    {
        var html = NetworkSummaryHtml.ToHtml(Summary);
        Assert.Contains("act&lt;x&gt;", html);
        Assert.DoesNotContain("act<x>", html);
    }

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, "").Length) / value.Length;
}
