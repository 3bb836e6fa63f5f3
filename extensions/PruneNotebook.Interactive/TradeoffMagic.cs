using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Interactive;

/// <summary>
/// <c>#!tradeoff</c>: a tradeoff study (criteria × sparsities × seeds from the model's weights, random and magnitude
/// baselines included) run as worker processes or a Slurm job array, with live progress, then the accuracy-vs-compression
/// and accuracy-vs-speedup charts and the sortable table.
/// </summary>
internal static class TradeoffMagic
{
    private const string Example = "#!tradeoff model --data fashion --sparsities 0.5,0.75,0.9,0.95 --seeds 3";

    public static void Register(CSharpKernel csharp)
    {
        var directive = new KernelActionDirective("#!tradeoff")
        {
            Description = "Tradeoff study: prune the model with each criterion at each sparsity and seed, fine-tune equally, chart accuracy vs compression and speedup with error bars.",
            Parameters =
            {
                new KernelDirectiveParameter("--model", "C# variable holding the trained dense model (a built-in architecture), or a built-in name (lenet5, ...) to train one first.")
                    { AllowImplicitName = true, Required = true }.AddCompletions(() => KernelVariables.Names<nn.Module>(csharp).Concat(ModelZoo.Names)),
                new KernelDirectiveParameter("--data", "A FashionMnist variable, or fashion-mnist: its train split fine-tunes, its test split evaluates.") { Required = true }
                    .AddCompletions(() => KernelVariables.Names<FashionMnist>(csharp).Append(DataSpec.FashionMnistName)),
                new KernelDirectiveParameter("--limit", "With --data fashion-mnist: the first N training and test images."),
                new KernelDirectiveParameter("--sparsities", "Target sparsities of the prunable weights (with --channels: fractions of units removed), e.g. 0.5,0.75,0.9,0.95.") { Required = true },
                new KernelDirectiveParameter("--criteria", "Criteria besides the baselines (l1 magnitude and random), e.g. l2; with --channels also bn, taylor, apoz."),
                new KernelDirectiveParameter("--no-baselines", "Leave out the random and magnitude baselines.") { Flag = true },
                new KernelDirectiveParameter("--seeds", "Seeds per criterion and sparsity (default 3)."),
                new KernelDirectiveParameter("--scope", "local (each layer loses the sparsity, default) or global (one threshold).").AddCompletions(() => ["local", "global"]),
                new KernelDirectiveParameter("--channels", "Remove channels and neurons by surgery (measured speedup) instead of masking weights.") { Flag = true },
                new KernelDirectiveParameter("--fine-tune-epochs", "Fine-tuning epochs of every pruned model (default 1)."),
                new KernelDirectiveParameter("--dense-epochs", "Epochs of the dense model when --model is a name (default 2)."),
                new KernelDirectiveParameter("--lr", "Learning rate of training and fine-tuning (default 1e-3)."),
                new KernelDirectiveParameter("--batch-size", "Mini-batch size (default 128)."),
                new KernelDirectiveParameter("--result", "C# variable to store the TradeoffResult in."),
            },
        };
        foreach (var parameter in SweepArguments.Parameters("local"))
            directive.Parameters.Add(parameter);
        csharp.AddDirective<TradeoffCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            KernelVariables.CheckNewName(command.Result, "--result");
            var backend = SweepArguments.Backend(command, "local");
            var run = SweepArguments.RunOptions(command);
            var train = new TrainStep(MagicArguments.Integer("--fine-tune-epochs", command.FineTuneEpochs, 1), MagicArguments.Number("--lr", command.Lr, 1e-3),
                BatchSize: MagicArguments.Integer("--batch-size", command.BatchSize, 128));
            var seeds = MagicArguments.Integer("--seeds", command.Seeds, 3);
            if (seeds < 1)
                throw new UsageException($"--seeds must be at least 1, got {seeds}.");
            var dense = csharp.TryGetValue<object>(command.Model.Trim(), out var value) ? value : null;
            if (dense is null && !ModelZoo.Names.Contains(command.Model.Trim().ToLowerInvariant()))
                throw new UsageException($"--model '{command.Model}' is neither a C# variable nor a built-in model ({string.Join(", ", ModelZoo.Names)}), e.g. {Example}.");
            var options = new TradeoffOptions(
                command.Model.Trim().ToLowerInvariant(),
                WorkerData.Describe(csharp, command.Data, command.Limit, Example),
                MagicArguments.Numbers("--sparsities", command.Sparsities, []),
                MagicArguments.List(command.Criteria),
                Enumerable.Range(0, seeds).Select(s => (long)s).ToArray(),
                train,
                train with { Epochs = MagicArguments.Integer("--dense-epochs", command.DenseEpochs, 2) },
                Scope: MagicArguments.Choice("--scope", command.Scope, "local", "local", "global"),
                Mode: command.Channels ? TradeoffMode.Channels : TradeoffMode.Weights,
                IncludeBaselines: !command.NoBaselines);
            var directory = SweepArguments.Directory(command);
            var result = dense is null
                ? SweepArguments.Live(context, command, (progress, token) => TradeoffStudy.Run(options, directory, backend, run, progress, token))
                : SweepArguments.Live(context, command, (progress, token) =>
                    TradeoffStudy.Run(KernelVariables.GetModule(csharp, command.Model.Trim(), Example), options, directory, backend, run, progress, token));
            context.Display(result, "text/html");
            if (!string.IsNullOrWhiteSpace(command.Result))
                csharp.SetValueAsync(command.Result.Trim(), result, typeof(TradeoffResult)).GetAwaiter().GetResult();
        }));
    }
}
