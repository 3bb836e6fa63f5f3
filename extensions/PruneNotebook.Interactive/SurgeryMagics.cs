using System.Globalization;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Runtime;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Interactive;

/// <summary><c>#!trim</c>, <c>#!compress</c>, <c>#!drop-layers</c> and <c>#!fold-bn</c>: each parses, calls one Core method and displays its before/after report.</summary>
internal static class SurgeryMagics
{
    public static void Register(CSharpKernel csharp)
    {
        RegisterTrim(csharp);
        RegisterCompress(csharp);
        RegisterDropLayers(csharp);
        RegisterFoldBatchNorm(csharp);
    }

    private static KernelDirectiveParameter InputShapeParameter() =>
        new("--input-shape", "Input shape including the batch size, e.g. 1,1,28,28 (known for the zoo models).");

    private static KernelDirectiveParameter ChannelsLastParameter() =>
        new("--channels-last", "Afterwards, feed the network its image batches channels-last (faster convolutions on CPU).") { Flag = true };

    private static void RegisterTrim(CSharpKernel csharp) =>
        RegisterWholeModel<TrimCommand>(csharp, "#!trim",
            "Remove every unit that pruning zeroed (dead filters and neurons): the same outputs from a smaller, faster network.", NetworkSurgery.Trim);

    private static void RegisterFoldBatchNorm(CSharpKernel csharp) =>
        RegisterWholeModel<FoldBatchNormCommand>(csharp, "#!fold-bn",
            "Fold every BatchNorm into the convolution or Linear layer before it, for inference: same eval outputs, fewer passes.", NetworkSurgery.FoldBatchNorm);

    /// <summary>A magic <c>name &lt;model&gt; [--data] [--input-shape] [--channels-last]</c> that runs one surgery on the whole model.</summary>
    private static void RegisterWholeModel<TCommand>(CSharpKernel csharp, string name, string description,
        Func<nn.Module<Tensor, Tensor>, IReadOnlyList<long>?, SurgeryMeasurement?, SurgeryReport> surgery)
        where TCommand : ModelSurgeryCommand
    {
        var example = name + " model";
        var directive = new KernelActionDirective(name)
        {
            Description = description,
            Parameters =
            {
                KernelVariables.ModelParameter(csharp), KernelVariables.DataParameter(csharp, "Data for the accuracy before and after (optional)."), InputShapeParameter(),
                ChannelsLastParameter(), RecipeLine.Parameter(),
            },
        };
        csharp.AddDirective<TCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            var model = KernelVariables.GetModule(csharp, command.Model, example);
            var measurement = new SurgeryMeasurement(Data(csharp, command.Data, example));
            var shape = Shape(command.InputShape, model, command.ChannelsLast);
            Show(context, surgery(model, shape, measurement), model, shape, command.ChannelsLast);
            RecipeLine.Show(context, command.ShowRecipe, name[2..], ("channels-last", Core.Recipes.RecipeText.Flag(command.ChannelsLast)));
        }));
    }

    private static void RegisterCompress(CSharpKernel csharp)
    {
        const string example = "#!compress model --amount 0.5 --criterion l1";
        var directive = new KernelActionDirective("#!compress")
        {
            Description = "Remove the least important channels/neurons of every coupled group and rebuild the layers smaller.",
            Parameters =
            {
                KernelVariables.ModelParameter(csharp),
                new KernelDirectiveParameter("--amount", "Fraction of the units present (0.5 or 50%) or a count of units (16: per group when local, in total when global).") { Required = true },
                CriterionOptions.Criterion(CriterionUse.Groups),
                CriterionOptions.Argument("n"),
                CriterionOptions.Argument("seed"),
                new KernelDirectiveParameter("--scope", "local (every layer loses the amount, default) or global.").AddCompletions(() => ["local", "global"]),
                new KernelDirectiveParameter("--round-to", "Round kept counts to a multiple of this, e.g. 8."),
                new KernelDirectiveParameter("--ignore", "Comma-separated layers to keep whole, e.g. fc3."),
                new KernelDirectiveParameter("--max-fraction", "The most any one layer may lose, e.g. 0.8 (default 1)."),
                new KernelDirectiveParameter("--heads", "Attention heads to remove: a fraction of each attention layer's heads (0.5) or a count (1); --amount 0 removes heads only."),
                new KernelDirectiveParameter("--normalized-groups", "Also cut groups a LayerNorm normalises (a transformer's residual stream).") { Flag = true },
                KernelVariables.DataParameter(csharp, "Data for taylor/apoz and for the accuracy before and after."),
                InputShapeParameter(),
                ChannelsLastParameter(),
                RecipeLine.Parameter(),
            },
        };
        csharp.AddDirective<CompressCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            var model = KernelVariables.GetModule(csharp, command.Model, example);
            var options = CompressionOptions.Parse(command.Amount, command.Scope, command.Ignore, command.MaxFraction, command.RoundTo,
                command.Heads, command.NormalizedGroups);
            // --data is also the data the accuracy before and after is measured on, so it is never unused here.
            var data = Data(csharp, command.Data, example);
            var criterion = Criteria.Create(command.Criterion, CriterionOptions.Given(("n", command.N), ("seed", command.Seed)), CriterionUse.Groups, dataGiven: data is not null);
            try
            {
                var shape = Shape(command.InputShape, model, command.ChannelsLast);
                Show(context, NetworkSurgery.Compress(model, options, criterion, shape, new SurgeryMeasurement(data), data), model, shape, command.ChannelsLast);
                RecipeLine.Show(context, command.ShowRecipe, "compress", ("amount", command.Amount), ("criterion", command.Criterion), ("n", command.N),
                    ("seed", command.Seed), ("scope", command.Scope), ("round-to", command.RoundTo), ("ignore", RecipeLine.List(command.Ignore)),
                    ("max-fraction", command.MaxFraction), ("heads", command.Heads),
                    ("normalized-groups", Core.Recipes.RecipeText.Flag(command.NormalizedGroups)), ("channels-last", Core.Recipes.RecipeText.Flag(command.ChannelsLast)));
            }
            finally
            {
                (criterion as IDisposable)?.Dispose();
            }
        }));
    }

    private static void RegisterDropLayers(CSharpKernel csharp)
    {
        const string example = "#!drop-layers model --count 2 --data data";
        var directive = new KernelActionDirective("#!drop-layers")
        {
            Description = "Rank residual blocks (and shape-keeping layers) by the accuracy lost when each is bypassed and remove the least important.",
            Parameters =
            {
                KernelVariables.ModelParameter(csharp),
                new KernelDirectiveParameter("--count", "How many to remove (default 1)."),
                KernelVariables.DataParameter(csharp, "Data the ranking is measured on (a TensorDataset, or a FashionMnist: its test split).", required: true),
                InputShapeParameter(),
                ChannelsLastParameter(),
                RecipeLine.Parameter(),
            },
        };
        csharp.AddDirective<DropLayersCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            var model = KernelVariables.GetModule(csharp, command.Model, example);
            var data = KernelVariables.GetDataset(csharp, command.Data ?? "", example);
            var count = MagicArguments.Integer("--count", command.Count, 1);
            var shape = Shape(command.InputShape, model, command.ChannelsLast);
            Show(context, NetworkSurgery.DropLayers(model, data, count, shape), model, shape, command.ChannelsLast);
            RecipeLine.Show(context, command.ShowRecipe, "drop-layers", ("count", command.Count), ("channels-last", Core.Recipes.RecipeText.Flag(command.ChannelsLast)));
        }));
    }

    /// <summary>
    /// Displays the report, then one line when less was removed than asked (how much, where, why); with
    /// <c>--channels-last</c>, then switches the network's layout and says so.
    /// </summary>
    private static void Show(KernelInvocationContext context, SurgeryReport report, nn.Module<Tensor, Tensor> model, long[]? shape, bool channelsLast)
    {
        context.Display(report, "text/html");
        if (report.Removal?.Shortfall is { } shortfall)
            context.Display((object)shortfall, "text/plain");
        if (!channelsLast)
            return;
        MemoryLayout.UseChannelsLast(model, shape ?? report.InputShape);
        static string Ms(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture);
        var after = report.After;
        // Small networks can run no faster channels-last; say so rather than let the switch suggest a gain.
        var latency = after.ChannelsLastLatencyMilliseconds is { } ms
            ? $" ({Ms(ms)} ms per batch of {report.LatencyBatch}, against {Ms(after.LatencyMilliseconds)} ms NCHW" +
              (ms >= after.LatencyMilliseconds ? ": no faster for this network on this machine)" : ")")
            : "";
        context.Display((object)$"{report.ModelName} now gets its image batches channels-last{latency}; MemoryLayout.UseDefaultLayout(model) undoes it.", "text/plain");
    }

    private static TensorDataset? Data(CSharpKernel csharp, string? name, string example) =>
        string.IsNullOrWhiteSpace(name) ? null : KernelVariables.GetDataset(csharp, name, example);

    /// <summary>The --input-shape given, if any; with --channels-last, first checks that the network takes image batches, before any surgery.</summary>
    private static long[]? Shape(string? text, nn.Module model, bool channelsLast)
    {
        var shape = MagicArguments.Shape("--input-shape", text);
        if (channelsLast && (shape ?? InputShapes.Infer(model)) is { Length: not 4 } known)
            throw new UsageException($"--channels-last applies to image batches (N, C, H, W); {model.GetType().Name} takes ({string.Join(", ", known)}): drop the flag.");
        return shape;
    }
}
