using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using static TorchSharp.torch;

namespace PruneNotebook.Interactive;

/// <summary><c>#!prune</c>, <c>#!sparsity</c> and <c>#!sensitivity</c>: each parses, calls one Core method and displays its record.</summary>
internal static class PruningMagics
{
    public static void Register(CSharpKernel csharp)
    {
        RegisterPrune(csharp);
        RegisterSparsity(csharp);
        RegisterSensitivity(csharp);
    }

    private static KernelDirectiveParameter LayersParameter() =>
        new("--layers", "Comma-separated layer names (default: every Linear and convolution layer), e.g. conv1,fc1.");

    private static void RegisterPrune(CSharpKernel csharp)
    {
        const string example = "#!prune model --amount 0.9 --scope global";
        var directive = new KernelActionDirective("#!prune")
        {
            Description = "Prune a model's weights or whole units by masks with any registered criterion; local or global.",
            Parameters =
            {
                KernelVariables.ModelParameter(csharp),
                new KernelDirectiveParameter("--amount", "Fraction of what remains (0.9 or 90%) or a count (120); required unless --n-m is given."),
                new KernelDirectiveParameter("--n-m", "N:M semi-structured sparsity instead of an amount: keep N of every M consecutive inputs (e.g. 2:4).").AddCompletions(() => ["2:4", "4:8", "1:4"]),
                CriterionOptions.Criterion(),
                new KernelDirectiveParameter("--scope", "local (each layer loses the amount, default) or global (one threshold).").AddCompletions(() => ["local", "global"]),
                new KernelDirectiveParameter("--structured", "Prune whole units (rows of Linear, filters of Conv2d) instead of weights.") { Flag = true },
                new KernelDirectiveParameter("--dim", "Unit dimension for --structured: 0 outputs (default), 1 inputs."),
                CriterionOptions.Argument("n"),
                CriterionOptions.Argument("seed"),
                CriterionOptions.Argument("samples"),
                CriterionOptions.Argument("blocksize"),
                CriterionOptions.Argument("damping"),
                KernelVariables.DataParameter(csharp, "Data for criteria that measure on data (taylor, apoz; calibration data for wanda, sparsegpt): a TensorDataset, or a FashionMnist (its train split)."),
                KernelVariables.DataParameter(csharp, "Calibration data for the post-training criteria (wanda, sparsegpt): the same as --data.", name: "--calibration"),
                LayersParameter(),
                RecipeLine.Parameter(),
            },
        };
        csharp.AddDirective<PruneCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            var model = KernelVariables.GetModule(csharp, command.Model, example);
            if (!string.IsNullOrWhiteSpace(command.Data) && !string.IsNullOrWhiteSpace(command.Calibration))
                throw new UsageException("--calibration is another name for --data: give one of them.");
            var dataName = string.IsNullOrWhiteSpace(command.Data) ? command.Calibration : command.Data;
            var data = string.IsNullOrWhiteSpace(dataName) ? null : KernelVariables.GetTrainingData(csharp, dataName, example).Train;
            var request = new PruneRequest(command.Amount ?? "")
            {
                NM = command.NM,
                Criterion = command.Criterion,
                Scope = command.Scope,
                Structured = command.Structured,
                Dim = command.Dim,
                Arguments = CriterionOptions.Given(("n", command.N), ("seed", command.Seed), ("samples", command.Samples), ("blocksize", command.Blocksize), ("damping", command.Damping)),
            };
            context.Display(request.Run(model, Targets(model, command.Layers), data), "text/html");
            if (MagicArguments.List(command.Layers) is null && Pruner.NativeLayersNote(model) is { } leftDense)
                KernelInvocationContextExtensions.Display(context, leftDense, "text/plain");
            RecipeLine.Show(context, command.ShowRecipe, "prune", ("amount", command.Amount), ("criterion", command.Criterion), ("scope", command.Scope),
                ("structured", Core.Recipes.RecipeText.Flag(command.Structured)), ("dim", command.Dim), ("n-m", command.NM), ("n", command.N), ("seed", command.Seed),
                ("samples", command.Samples), ("blocksize", command.Blocksize), ("damping", command.Damping), ("layers", RecipeLine.List(command.Layers)));
        }));
    }

    private static void RegisterSparsity(CSharpKernel csharp)
    {
        const string example = "#!sparsity model";
        var directive = new KernelActionDirective("#!sparsity")
        {
            Description = "Show sparsity maps (one heatmap per weight matrix, pruned entries white) and the kept fraction per layer.",
            Parameters = { KernelVariables.ModelParameter(csharp), LayersParameter() },
        };
        csharp.AddDirective<SparsityCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            var model = KernelVariables.GetModule(csharp, command.Model, example);
            context.Display(SparsityMaps.Create(model, Targets(model, command.Layers)), "text/html");
        }));
    }

    private static void RegisterSensitivity(CSharpKernel csharp)
    {
        const string example = "#!sensitivity model --data data --amounts 0.3,0.6,0.9";
        var directive = new KernelActionDirective("#!sensitivity")
        {
            Description = "Prune each layer alone to each amount and chart the accuracy (the model is restored afterwards).",
            Parameters =
            {
                KernelVariables.ModelParameter(csharp),
                KernelVariables.DataParameter(csharp, "C# variable holding a TensorDataset, or a FashionMnist (its test split is used).", required: true),
                new KernelDirectiveParameter("--amounts", "Comma-separated sparsities (default 0.1,0.3,0.5,0.7,0.8,0.9,0.95)."),
                CriterionOptions.Criterion(CriterionUse.Entries),
                CriterionOptions.Argument("n"),
                CriterionOptions.Argument("seed"),
                LayersParameter(),
                new KernelDirectiveParameter("--limit", "With --backend and --data fashion-mnist: the first N images."),
            },
        };
        foreach (var parameter in SweepArguments.Parameters("in process (no --backend)"))
            directive.Parameters.Add(parameter);
        csharp.AddDirective<SensitivityCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            var model = KernelVariables.GetModule(csharp, command.Model, example);
            var amounts = Sensitivity.ParseSparsities(command.Amounts);
            // The evaluation data is also what a criterion that measures on data uses, so --data is always given.
            var criterion = Criteria.Create(command.Criterion, CriterionOptions.Given(("n", command.N), ("seed", command.Seed)), CriterionUse.Entries, dataGiven: true);
            try
            {
                if (string.IsNullOrWhiteSpace(command.Backend))
                {
                    var data = KernelVariables.GetDataset(csharp, command.Data ?? "", example);
                    context.Display(Sensitivity.Analyze(model, data, amounts, Targets(model, command.Layers), criterion), "text/html");
                    return;
                }
                if (command.N is not null || command.Seed is not null)
                    throw new UsageException("--n and --seed apply in process: drop them with --backend (worker trials seed random from the sweep's seed).");
                var backend = SweepArguments.Backend(command, "local");
                var run = SweepArguments.RunOptions(command);
                var described = WorkerData.Describe(csharp, command.Data, command.Limit, example);
                var targets = Targets(model, command.Layers);
                context.Display(SweepArguments.Live(context, command, (progress, token) =>
                    SensitivityStudy.Run(model, described, amounts, new SweepExecution(backend, SweepArguments.Directory(command), run, progress, token), targets,
                        criterion.Name)), "text/html");
            }
            finally
            {
                (criterion as IDisposable)?.Dispose();
            }
        }));
    }

    private static IReadOnlyList<string> Targets(nn.Module model, string? layers) =>
        MagicArguments.List(layers) is { } names ? Pruner.WeightsOf(model, names) : Pruner.DefaultTargets(model);
}
