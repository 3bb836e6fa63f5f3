using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Pruning;
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
            Description = "Prune a model's weights by magnitude, Ln norm or at random; local or global; single weights or whole units.",
            Parameters =
            {
                KernelVariables.ModelParameter(csharp),
                new KernelDirectiveParameter("--amount", "Fraction of what remains (0.9 or 90%) or a count (120).") { Required = true },
                new KernelDirectiveParameter("--method", "l1 (magnitude, default), ln (Ln norm) or random.").AddCompletions(() => ["l1", "ln", "random"]),
                new KernelDirectiveParameter("--scope", "local (each layer loses the amount, default) or global (one threshold).").AddCompletions(() => ["local", "global"]),
                new KernelDirectiveParameter("--structured", "Prune whole units (rows of Linear, filters of Conv2d) instead of weights.") { Flag = true },
                new KernelDirectiveParameter("--dim", "Unit dimension for --structured: 0 outputs (default), 1 inputs."),
                new KernelDirectiveParameter("--n", "Norm order for ln (default 2; 'inf' for max)."),
                LayersParameter(),
                new KernelDirectiveParameter("--seed", "Seed for random (default 0)."),
            },
        };
        csharp.AddDirective<PruneCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            var model = KernelVariables.GetModule(csharp, command.Model, example);
            PruningAmount amount;
            try
            {
                amount = PruningAmount.Parse(command.Amount ?? "");
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new UsageException("--amount: " + MagicHandler.OneLine(e.Message));
            }
            var method = MagicArguments.Choice("--method", command.Method, "l1", "l1", "ln", "random");
            var scope = MagicArguments.Choice("--scope", command.Scope, "local", "local", "global") == "global" ? PruningScope.Global : PruningScope.Local;
            var dim = MagicArguments.Integer("--dim", command.Dim, 0);
            var n = MagicArguments.Number("--n", command.N, method == "l1" ? 1 : 2);
            var seed = MagicArguments.Integer("--seed", command.Seed, 0);
            var targets = Targets(model, command.Layers);
            using var random = method == "random" ? new RandomImportance(seed) : null;
            IImportance importance = random is not null ? random : new LnNormImportance(n);
            var report = command.Structured || method == "ln"
                ? Pruner.Structured(model, targets, amount, importance, dim, scope)
                : Pruner.Unstructured(model, targets, amount, importance, scope);
            context.Display(report, "text/html");
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
                LayersParameter(),
                new KernelDirectiveParameter("--limit", "With --backend and --data fashion-mnist: the first N images."),
            },
        };
        foreach (var parameter in SweepArguments.Parameters("in process (no --backend)"))
            directive.Parameters.Add(parameter);
        csharp.AddDirective<SensitivityCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            var model = KernelVariables.GetModule(csharp, command.Model, example);
            var amounts = MagicArguments.Numbers("--amounts", command.Amounts, [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95]);
            if (amounts.Any(a => a is < 0 or > 1))
                throw new UsageException($"--amounts '{command.Amounts}' must be sparsities in [0, 1], e.g. 0.1,0.5,0.9.");
            if (string.IsNullOrWhiteSpace(command.Backend))
            {
                var data = KernelVariables.GetDataset(csharp, command.Data ?? "", example);
                context.Display(Sensitivity.Analyze(model, data, amounts, Targets(model, command.Layers)), "text/html");
                return;
            }
            var backend = SweepArguments.Backend(command, "local");
            var run = SweepArguments.RunOptions(command);
            var described = WorkerData.Describe(csharp, command.Data, command.Limit, example);
            var targets = Targets(model, command.Layers);
            context.Display(SweepArguments.Live(context, command, (progress, token) =>
                SensitivityStudy.Run(model, described, amounts, new SweepExecution(backend, SweepArguments.Directory(command), run, progress, token), targets)), "text/html");
        }));
    }

    private static IReadOnlyList<string> Targets(nn.Module model, string? layers) =>
        MagicArguments.List(layers) is { } names ? Pruner.WeightsOf(model, names) : Pruner.DefaultTargets(model);
}
