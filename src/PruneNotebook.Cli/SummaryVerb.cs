using System.CommandLine;
using PruneNotebook.Core.Analysis;
using Spectre.Console;

namespace PruneNotebook.Cli;

/// <summary><c>prunenotebook summary --model lenet5 [--weights file] [--output json] [--report file.html]</c>: layers, shapes, parameters and MACs.</summary>
internal static class SummaryVerb
{
    public static Command Create(IAnsiConsole console)
    {
        var model = CommonOptions.Model();
        var weights = CommonOptions.Weights();
        var inputShape = new Option<string?>("--input-shape") { Description = "Input shape including the batch size, e.g. 1,1,28,28 (default: the model's own)." };
        var output = new OutputOptions();
        var command = new Command("summary", "Layers in forward order: output shape, parameters (all / nonzero), MACs (dense / nonzero).") { model, weights, inputShape };
        output.AddTo(command);
        command.SetAction(parsed =>
        {
            var result = output.Open(parsed, console, "summary");
            using var network = CommonOptions.LoadModel(parsed.GetValue(model)!, parsed.GetValue(weights));
            var shape = parsed.GetValue(inputShape) is { } text ? InputShapes.Parse(text)
                : InputShapes.Infer(network) ?? throw new ArgumentException($"{network.GetType().Name} does not say its input shape: give --input-shape, e.g. 1,1,28,28.");
            var summary = NetworkSummary.Create(network, shape);
            result.Write(Tables.Summary(summary));
            result.Finish(summary, $"prunenotebook summary · {summary.ModelName}", summary);
            return 0;
        });
        return command;
    }
}
