using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PruneNotebook.Visualization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PruneNotebook.Cli;

/// <summary>
/// The options every verb that produces a record takes: <c>--output text|json</c> and <c>--report file.html</c>.
/// </summary>
internal sealed class OutputOptions
{
    /// <summary>The version of the <c>--output json</c> envelope; raised only when a field changes meaning or disappears.</summary>
    public const int SchemaVersion = 1;

    public Option<string> Format { get; } = CreateFormat();

    public Option<FileInfo?> Report { get; } = new("--report")
    {
        Description = "Also write an HTML report here: the tables and charts a notebook shows, plotly.js inlined (opens offline).",
    };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Format);
        command.Add(Report);
    }

    /// <summary>The output of one run of <paramref name="command"/>; checks before any work that the report can be written.</summary>
    public CliOutput Open(ParseResult parsed, IAnsiConsole console, string command)
    {
        var report = parsed.GetValue(Report);
        CommonOptions.CheckWritable(report);
        return new CliOutput(console, command, parsed.GetValue(Format) == "json", report);
    }

    private static Option<string> CreateFormat()
    {
        var option = new Option<string>("--output")
        {
            Description = "text (tables for people, default) or json (one JSON document on standard output for machines: {\"command\", \"schemaVersion\", \"result\"}).",
            DefaultValueFactory = _ => "text",
        };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }
}

/// <summary>
/// Where a verb's results go: tables and lines on the console (text), or nothing until one JSON document at the end
/// (json); progress only on an interactive console in text mode; the HTML report written atomically when asked.
/// </summary>
internal sealed class CliOutput(IAnsiConsole console, string command, bool json, FileInfo? report)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public bool Json => json;

    /// <summary>Shows <paramref name="renderable"/> in text mode.</summary>
    public void Write(IRenderable renderable)
    {
        if (!json)
            console.Write(renderable);
    }

    /// <summary>Shows one line in text mode.</summary>
    public void Line(string text)
    {
        if (!json)
            console.WriteLine(text);
    }

    /// <summary>
    /// Runs <paramref name="work"/> under a Spectre progress bar named <paramref name="description"/> when the console is
    /// interactive and the output is text; otherwise just runs it.
    /// </summary>
    public T Work<T>(string description, Func<T> work)
    {
        if (json || !console.Profile.Capabilities.Interactive)
            return work();
        return console.Progress().Columns(new SpinnerColumn(), new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(description));
                task.IsIndeterminate = true;
                var result = work();
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>
    /// Ends the run: in json mode writes <c>{"command", "schemaVersion", "result"}</c> with <paramref name="result"/>;
    /// with <c>--report</c>, writes <paramref name="records"/> (rendered as the notebook shows them) to the report file.
    /// </summary>
    public void Finish(object result, string title, params object[] records)
    {
        if (report is not null)
        {
            var page = new HtmlReport(title);
            foreach (var record in records)
            {
                if (record is string text)
                    page.Paragraph(text);
                else
                    page.Add(record);
            }
            page.Save(report.FullName);
            Line($"report: {report.FullName}");
        }
        if (json)
        {
            var document = new JsonObject
            {
                ["command"] = command,
                ["schemaVersion"] = OutputOptions.SchemaVersion,
                ["result"] = JsonSerializer.SerializeToNode(result, result.GetType(), JsonOptions),
            };
            var writer = console.Profile.Out.Writer;
            writer.WriteLine(document.ToJsonString(JsonOptions));
            writer.Flush();
        }
    }
}
