using System.Text;
using PruneNotebook.Core.Persistence;

namespace PruneNotebook.Visualization;

/// <summary>
/// A standalone HTML page of PruneNotebook's records, rendered as the notebook shows them (tables and Plotly charts),
/// with plotly.js inlined once so that the file opens offline. The CLI's <c>--report</c> and the samples' reports use it.
/// </summary>
public sealed class HtmlReport
{
    private readonly NotebookRenderer _renderer = new();
    private readonly StringBuilder _body = new();

    /// <summary>A report titled <paramref name="title"/>.</summary>
    public HtmlReport(string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Title = title;
    }

    /// <summary>The page title (also its first heading).</summary>
    public string Title { get; }

    /// <summary>How many sections (records, headings, paragraphs) the report holds.</summary>
    public int Sections { get; private set; }

    /// <summary>Adds a heading.</summary>
    public HtmlReport Heading(string text)
    {
        _body.Append("<h2>").Append(Html.Encode(text)).Append("</h2>\n");
        Sections++;
        return this;
    }

    /// <summary>Adds a paragraph of plain text.</summary>
    public HtmlReport Paragraph(string text)
    {
        _body.Append("<p>").Append(Html.Encode(text)).Append("</p>\n");
        Sections++;
        return this;
    }

    /// <summary>Adds <paramref name="record"/> as the notebook displays it.</summary>
    /// <exception cref="ArgumentException">Its type is not one of <see cref="NotebookRenderer.SupportedTypes"/>.</exception>
    public HtmlReport Add(object record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var html = _renderer.Render(record)
            ?? throw new ArgumentException($"A report cannot show a {record.GetType().Name}: expected one of {string.Join(", ", NotebookRenderer.SupportedTypes.Select(t => t.Name))}.", nameof(record));
        _body.Append("<section>").Append(html).Append("</section>\n");
        Sections++;
        return this;
    }

    /// <summary>The whole page.</summary>
    public string ToHtml() =>
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + Html.Encode(Title) + "</title>"
        + "<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}section{margin:1.5em 0}</style></head>\n<body><h1>"
        + Html.Encode(Title) + "</h1>\n" + _body + "</body></html>\n";

    /// <summary>Writes the page to <paramref name="path"/> atomically (a temporary file beside it, then a rename).</summary>
    /// <exception cref="IOException">The folder does not exist or cannot be written.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteText(path, ToHtml());
    }
}
