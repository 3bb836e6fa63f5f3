using System.CommandLine;
using PruneNotebook.Core.Optimization;
using Spectre.Console;

namespace PruneNotebook.Cli;

/// <summary>
/// <c>prunenotebook evaluate --model lenet5|chargpt [--weights file] [--data fashion-mnist|fortunes|folder] [--limit N]
/// [--context 64]</c>: an image model's test accuracy and loss (<see cref="Trainer.Evaluate"/>), or a language model's
/// validation perplexity and bits per character (<see cref="LanguageModelTraining.Evaluate"/>), as a recipe's evaluate
/// step gives them.
/// </summary>
internal static class EvaluateVerb
{
    public static Command Create(IAnsiConsole console)
    {
        var source = new ModelDataOptions();
        var (model, weights, data, limit, context) = (source.Model, source.Weights, source.Data, source.Limit, source.Context);
        var command = new Command("evaluate", "An image model's test accuracy and loss, or a language model's validation perplexity and bits per character.");
        source.AddTo(command);
        var output = new OutputOptions();
        output.AddTo(command);
        command.SetAction(parsed =>
        {
            var result = output.Open(parsed, console, "evaluate");
            var name = parsed.GetValue(model)!;
            using var network = CommonOptions.LoadModel(name, parsed.GetValue(weights));
            using var loaded = CliData.Load(network, name, parsed.GetValue(data), parsed.GetValue(limit), parsed.GetValue(context));
            var title = $"prunenotebook evaluate · {network.GetType().Name}";
            if (loaded.Text is { } corpus)
            {
                var text = result.Work("evaluating", () => LanguageModelTraining.Evaluate(network, corpus.Validation));
                result.Line($"{network.GetType().Name}: validation {text.Line}");
                result.Finish(new { model = network.GetType().Name, text.Perplexity, text.BitsPerCharacter, text.Loss, characters = text.Tokens }, title, text);
                return 0;
            }
            var evaluation = result.Work("evaluating", () => Trainer.Evaluate(network, loaded.Images!.Test));
            var line = string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}: test accuracy {1}, loss {2:F4} on {3:N0} images",
                network.GetType().Name, Tables.Percent(evaluation.Accuracy), evaluation.Loss, evaluation.Count);
            result.Line(line);
            result.Finish(new { model = network.GetType().Name, evaluation.Accuracy, evaluation.Loss, images = evaluation.Count }, title, line);
            return 0;
        });
        return command;
    }
}
