using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using PruneNotebook.Core.Recipes;
using PruneNotebook.Visualization;
using Spectre.Console;

namespace PruneNotebook.Cli;

/// <summary>
/// <c>prunenotebook run &lt;recipe&gt; [--output text|json] [--report report.html]</c>: runs a recipe file (YAML or JSON)
/// as <c>#!recipe</c> does in a notebook, with the same results for the same seeds, and prints each step's line and
/// table. Exit codes: 0 done; 1 the recipe was refused (one line with file, line and key; nothing ran, nothing was
/// written); 2 a step failed while running (the steps before it ran; their files are written).
/// </summary>
internal static class RunVerb
{
    /// <summary>Exit code of a step that failed after the recipe started running.</summary>
    public const int StepFailed = 2;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Command Create(IAnsiConsole console, TextWriter error)
    {
        var recipe = new Argument<string>("recipe") { Description = "The recipe file: YAML or JSON with a name and steps (see the README)." };
        var output = new Option<string?>("--output") { Description = "text (tables, default) or json (one JSON document on standard output, for machines)." };
        output.AcceptOnlyFromAmong("text", "json");
        var report = new Option<FileInfo?>("--report") { Description = "Also write every step's table and chart to this HTML file (opens offline)." };
        var command = new Command("run", "Run a recipe: the experiment a notebook's magics would run, step by step, with the same results for the same seeds.")
        {
            recipe, output, report,
        };
        command.SetAction(parsed =>
        {
            var json = parsed.GetValue(output) == "json";
            var reportFile = parsed.GetValue(report);
            CommonOptions.CheckWritable(reportFile);
            var loaded = Recipe.Load(parsed.GetValue(recipe)!);
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };
            var options = new RecipeRunOptions
            {
                StepStarting = json ? null : step => console.Profile.Out.Writer.WriteLine($"{loaded.File}:{step.Line} {step.ToYaml()}"),
                StepFinished = json ? null : result => RecipeConsole.Show(console, result),
                TrainingCallbacks = json ? null : training => [new EpochLines(console.Profile.Out.Writer, training.Epochs)],
                RenderReport = RecipeReportHtml.Page,
                CancellationToken = cancel.Token,
            };
            // Everything is checked before the first step runs: a refusal is exit code 1 (CliApp), with nothing written.
            loaded.Validate(options);
            Console.CancelKeyPress += onCancel;
            try
            {
                var run = loaded.Run(options);
                if (reportFile is not null)
                {
                    File.WriteAllText(reportFile.FullName + ".tmp", RecipeReportHtml.Page(run.Name, run.Steps));
                    File.Move(reportFile.FullName + ".tmp", reportFile.FullName, overwrite: true);
                }
                if (json)
                    console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(new { run.Name, run.File, run.Seconds, Steps = run.Steps.Select(Step) }, Json));
                else
                    console.WriteLine($"{run.Name}: {run.Steps.Count} steps in {run.Seconds:F1} s" + (reportFile is null ? "" : $"; report {reportFile.FullName}"));
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or OperationCanceledException)
            {
                var message = e is OperationCanceledException ? "interrupted; the steps before it ran." : e.Message;
                error.WriteLine($"prunenotebook: {message.Split('\n', 2)[0].Trim()}");
                return StepFailed;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        });
        return command;
    }

    private static object Step(RecipeStepResult result) =>
        new { result.Index, result.Kind, result.Line, result.Text, RecordType = result.Record?.GetType().Name, result.Record };
}
