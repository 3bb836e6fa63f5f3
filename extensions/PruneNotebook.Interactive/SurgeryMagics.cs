using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Surgery;

namespace PruneNotebook.Interactive;

/// <summary><c>#!trim</c>, <c>#!compress</c> and <c>#!drop-layers</c>: each parses, calls one Core method and displays its before/after report.</summary>
internal static class SurgeryMagics
{
    public static void Register(CSharpKernel csharp)
    {
        RegisterTrim(csharp);
        RegisterCompress(csharp);
        RegisterDropLayers(csharp);
    }

    private static KernelDirectiveParameter InputShapeParameter() =>
        new("--input-shape", "Input shape including the batch size, e.g. 1,1,28,28 (known for the zoo models).");

    private static void RegisterTrim(CSharpKernel csharp)
    {
        const string example = "#!trim model";
        var directive = new KernelActionDirective("#!trim")
        {
            Description = "Remove every unit that pruning zeroed (dead filters and neurons): the same outputs from a smaller, faster network.",
            Parameters = { KernelVariables.ModelParameter(csharp), KernelVariables.DataParameter(csharp, "Data for the accuracy before and after (optional)."), InputShapeParameter() },
        };
        csharp.AddDirective<TrimCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            var model = KernelVariables.GetModule(csharp, command.Model, example);
            var measurement = new SurgeryMeasurement(Data(csharp, command.Data, example));
            context.Display(NetworkSurgery.Trim(model, Shape(command.InputShape), measurement), "text/html");
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
                new KernelDirectiveParameter("--amount", "Fraction of units to remove, e.g. 0.5.") { Required = true },
                new KernelDirectiveParameter("--criterion", "l1 (default), l2, bn (BatchNorm scale), taylor (needs --data) or apoz (needs --data).")
                    .AddCompletions(() => ["l1", "l2", "bn", "taylor", "apoz"]),
                new KernelDirectiveParameter("--scope", "local (every layer loses the amount, default) or global.").AddCompletions(() => ["local", "global"]),
                new KernelDirectiveParameter("--round-to", "Round kept counts to a multiple of this, e.g. 8."),
                new KernelDirectiveParameter("--ignore", "Comma-separated layers to keep whole, e.g. fc3."),
                new KernelDirectiveParameter("--max-fraction", "The most any one layer may lose, e.g. 0.8 (default 1)."),
                KernelVariables.DataParameter(csharp, "Data for taylor/apoz and for the accuracy before and after."),
                InputShapeParameter(),
            },
        };
        csharp.AddDirective<CompressCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            var model = KernelVariables.GetModule(csharp, command.Model, example);
            var amount = MagicArguments.Number("--amount", command.Amount, double.NaN);
            var criterion = MagicArguments.Choice("--criterion", command.Criterion, "l1", "l1", "l2", "bn", "taylor", "apoz");
            var scope = MagicArguments.Choice("--scope", command.Scope, "local", "local", "global") == "global" ? PruningScope.Global : PruningScope.Local;
            var data = Data(csharp, command.Data, example);
            if (data is null && criterion is "taylor" or "apoz")
                throw new UsageException($"--criterion {criterion} measures real data: pass --data <dataset>, e.g. {example.Replace("l1", criterion, StringComparison.Ordinal)} --data data.");
            IGroupImportance importance = criterion switch
            {
                "l2" => new MagnitudeImportance(2),
                "bn" => new BatchNormScaleImportance(),
                "taylor" => new TaylorImportance(data!),
                "apoz" => new ApozImportance(data!),
                _ => new MagnitudeImportance(1),
            };
            var options = new CompressionOptions(amount, scope, MagicArguments.List(command.Ignore),
                MagicArguments.Number("--max-fraction", command.MaxFraction, 1), MagicArguments.Integer("--round-to", command.RoundTo, 1));
            context.Display(NetworkSurgery.Compress(model, options, importance, Shape(command.InputShape), new SurgeryMeasurement(data)), "text/html");
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
            },
        };
        csharp.AddDirective<DropLayersCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            var model = KernelVariables.GetModule(csharp, command.Model, example);
            var data = KernelVariables.GetDataset(csharp, command.Data ?? "", example);
            var count = MagicArguments.Integer("--count", command.Count, 1);
            context.Display(NetworkSurgery.DropLayers(model, data, count, Shape(command.InputShape)), "text/html");
        }));
    }

    private static TensorDataset? Data(CSharpKernel csharp, string? name, string example) =>
        string.IsNullOrWhiteSpace(name) ? null : KernelVariables.GetDataset(csharp, name, example);

    private static long[]? Shape(string? text) => MagicArguments.Shape("--input-shape", text);
}
