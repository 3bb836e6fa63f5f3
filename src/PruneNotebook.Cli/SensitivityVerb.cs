using System.CommandLine;
using PruneNotebook.Core.Hosting;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using Spectre.Console;

namespace PruneNotebook.Cli;

/// <summary>
/// <c>prunenotebook sensitivity --model lenet5 --weights file [--amounts 0.1,0.3,0.5,0.7,0.8,0.9,0.95] [--criterion l1] [--n 2]
/// [--seed 0] [--layers ..] [--data folder] [--limit N]</c>: <c>#!sensitivity</c>'s analysis (each layer pruned alone to each
/// amount, accuracy on the test split, the model restored), as a table, JSON or the notebook's chart.
/// </summary>
internal static class SensitivityVerb
{
    public static Command Create(IAnsiConsole console)
    {
        var model = CommonOptions.Model();
        var weights = CommonOptions.Weights();
        var data = CommonOptions.Data();
        var limit = CommonOptions.Limit();
        var amounts = new Option<string?>("--amounts") { Description = $"Comma-separated sparsities (default {string.Join(",", Sensitivity.DefaultSparsities)})." };
        var criterion = new Option<string?>("--criterion")
        {
            Description = $"What ranks the weights (default {Criteria.Default}): one of {string.Join(", ", Criteria.Scoring(CriterionUse.Entries))}.",
        };
        criterion.CompletionSources.Add([.. Criteria.Scoring(CriterionUse.Entries)]);
        var n = new Option<string?>("--n") { Description = "For --criterion ln: norm order (default 2; inf for the largest |w|)." };
        var seed = new Option<string?>("--seed") { Description = "For --criterion random: seed of the generator (default 0)." };
        var layers = new Option<string?>("--layers") { Description = "Comma-separated layer names (default: every Linear and convolution layer)." };
        var output = new OutputOptions();
        var command = new Command("sensitivity", "Prune each layer alone to each amount and measure test accuracy (the model is restored afterwards) (#!sensitivity).")
        {
            model, weights, data, limit, amounts, criterion, n, seed, layers,
        };
        output.AddTo(command);
        command.SetAction(parsed =>
        {
            var result = output.Open(parsed, console, "sensitivity");
            var sparsities = Sensitivity.ParseSparsities(parsed.GetValue(amounts));
            var arguments = new[] { ("n", parsed.GetValue(n)), ("seed", parsed.GetValue(seed)) }
                .Where(a => !string.IsNullOrWhiteSpace(a.Item2)).ToDictionary(a => a.Item1, a => a.Item2!.Trim());
            // The evaluation data is also what a criterion that measures on data uses, so data is always given.
            var chosen = Criteria.Create(parsed.GetValue(criterion), arguments, CriterionUse.Entries, dataGiven: true);
            try
            {
                using var network = CommonOptions.LoadModel(parsed.GetValue(model)!, parsed.GetValue(weights));
                var targets = OptionValues.List(parsed.GetValue(layers)) is { } names ? Pruner.WeightsOf(network, names) : Pruner.DefaultTargets(network);
                using var fashion = CommonOptions.LoadData(parsed.GetValue(data), parsed.GetValue(limit));
                var report = result.Work("sensitivity", () => Sensitivity.Analyze(network, fashion.Test, sparsities, targets, chosen));
                result.Write(Tables.Sensitivity(report));
                result.Finish(report, $"prunenotebook sensitivity · {report.ModelName}", report);
            }
            finally
            {
                (chosen as IDisposable)?.Dispose();
            }
            return 0;
        });
        return command;
    }
}
