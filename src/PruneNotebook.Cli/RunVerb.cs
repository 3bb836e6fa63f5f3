using System.CommandLine;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Recipes;
using PruneNotebook.Visualization;
using Spectre.Console;

namespace PruneNotebook.Cli;

/// <summary>
/// <c>prunenotebook run &lt;recipe&gt; [--output text|json] [--report report.html]</c>: runs a recipe file (YAML or JSON)
/// as <c>#!recipe</c> does in a notebook, with the same results for the same seeds, and prints each step's line and
/// table. Exit codes as every verb's: 0 done; 2 the recipe was refused (one line with file, line and key; nothing ran,
/// nothing was written); 1 a step failed while running (the steps before it ran; their files are written); 70 a bug.
/// </summary>
internal static class RunVerb
{
    public static Command Create(IAnsiConsole console, TextWriter error)
    {
        var recipe = new Argument<string>("recipe") { Description = "The recipe file: YAML or JSON with a name and steps (see the README)." };
        var outputs = new OutputOptions();
        var command = new Command("run", "Run a recipe: the experiment a notebook's magics would run, step by step, with the same results for the same seeds.")
        {
            recipe,
        };
        outputs.AddTo(command);
        command.SetAction(parsed =>
        {
            var json = parsed.GetValue(outputs.Format) == "json";
            var reportFile = parsed.GetValue(outputs.Report);
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
                TextProgress = json ? null : new StepLines(line => console.Profile.Out.Writer.WriteLine(line)),
                RenderReport = RecipeReportHtml.Page,
                CancellationToken = cancel.Token,
            };
            // Everything is checked before the first step runs: a refusal is a usage error (CliApp), with nothing written.
            loaded.Validate(options);
            Console.CancelKeyPress += onCancel;
            try
            {
                var run = loaded.Run(options);
                if (reportFile is not null)
                {
                    AtomicFile.WriteText(reportFile.FullName, RecipeReportHtml.Page(run.Name, run.Steps));
                }
                if (json)
                    new CliOutput(console, "run", json: true, report: null).Finish(new { run.Name, run.File, run.Seconds, Steps = run.Steps.Select(Step).ToList() }, run.Name);
                else
                    console.WriteLine($"{run.Name}: {run.Steps.Count} steps in {run.Seconds:F1} s" + (reportFile is null ? "" : $"; report {reportFile.FullName}"));
                return 0;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A step failed while running (the steps before it ran): the one failure path, as a failure rather than a usage error.
                return CliApp.Report(e, error, running: true);
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
