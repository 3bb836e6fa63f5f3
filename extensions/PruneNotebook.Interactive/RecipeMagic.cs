using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using PruneNotebook.Core.Recipes;
using static TorchSharp.torch;

namespace PruneNotebook.Interactive;

/// <summary>
/// <c>#!recipe</c>: runs a recipe file (the same steps and results as <c>prunenotebook run</c>), showing each step's
/// record as its magic would and its one line of text. The whole recipe is checked first: a problem is one line with
/// the file, line and key, and nothing runs.
/// </summary>
internal static class RecipeMagic
{
    private const string Example = "#!recipe lenet5-90.yaml --model pruned";

    public static void Register(CSharpKernel csharp, Func<string, IReadOnlyList<RecipeStepResult>, string> reportPage)
    {
        var directive = new KernelActionDirective("#!recipe")
        {
            Description = "Run a recipe file (YAML or JSON): model, data, train, prune, compress, trim, drop-layers, fold-bn, evaluate, summary, save, report.",
            Parameters =
            {
                new KernelDirectiveParameter("--file", "The recipe file, e.g. lenet5-90.yaml.") { AllowImplicitName = true, Required = true },
                new KernelDirectiveParameter("--model", "C# variable to keep the model the recipe leaves (optional)."),
            },
        };
        csharp.AddDirective<RecipeCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            KernelVariables.CheckNewName(command.Model, "--model");
            if (string.IsNullOrWhiteSpace(command.File))
                throw new UsageException($"#!recipe needs a recipe file, e.g. {Example}.");
            var recipe = Recipe.Load(command.File.Trim());
            nn.Module<Tensor, Tensor>? kept = null;
            var progress = new RecipeProgressLine(context);
            var options = new RecipeRunOptions
            {
                StepStarting = _ => progress.NextStep(),
                TrainingCallbacks = training => [progress.Epochs(training.Epochs)],
                TextProgress = progress,
                StepFinished = result =>
                {
                    if (result.Record is { } record && !(record is Core.Reports.Evaluation))
                        context.Display(record, "text/html");
                    context.Display((object)result.Text, "text/plain");
                },
                RenderReport = reportPage,
                KeepModel = string.IsNullOrWhiteSpace(command.Model) ? null : model => kept = model,
                CancellationToken = context.CancellationToken,
            };
            try
            {
                recipe.Run(options);
            }
            catch (OperationCanceledException)
            {
                throw new UsageException("The recipe was interrupted; the steps before it ran.");
            }
            if (kept is not null)
                csharp.SetValueAsync(command.Model!.Trim(), kept, kept.GetType()).GetAwaiter().GetResult();
        }));
    }
}
