using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using PruneNotebook.Core.Analysis;

namespace PruneNotebook.Interactive;

/// <summary><c>#!summary &lt;variable&gt; [--input-shape 1,1,28,28]</c>: shows a model's layer table.</summary>
internal static class SummaryMagic
{
    public const string Example = "#!summary model --input-shape 1,1,28,28";

    public static void Register(CSharpKernel csharp)
    {
        var directive = new KernelActionDirective("#!summary")
        {
            Description = "Show a TorchSharp model's layers, output shapes, parameters (all / nonzero) and MACs (dense / nonzero).",
            Parameters =
            {
                KernelVariables.ModelParameter(csharp),
                new KernelDirectiveParameter("--input-shape", "Input shape including the batch size, e.g. 1,1,28,28 (inferred for the zoo models and MLPs)."),
            },
        };
        csharp.AddDirective<SummaryCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            var module = KernelVariables.GetModule(csharp, command.Model, Example);
            var shape = MagicArguments.Shape("--input-shape", command.InputShape) ?? InputShapes.Infer(module)
                ?? throw new UsageException($"Cannot infer the input shape of {module.GetType().Name}: pass --input-shape, e.g. {Example}.");
            context.Display(NetworkSummary.Create(module, shape), "text/html");
        }));
    }
}
