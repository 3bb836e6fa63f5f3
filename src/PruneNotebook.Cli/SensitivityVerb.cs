using System.CommandLine;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Hosting;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using Spectre.Console;

namespace PruneNotebook.Cli;

/// <summary>
/// <c>prunenotebook sensitivity --model lenet5 --weights file [--amounts 0.1,0.3,0.5,0.7,0.8,0.9,0.95] [--criterion l1] [--n 2]
/// [--seed 0] [--layers ..] [--data folder] [--limit N] [--backend local|slurm --workers N]</c>: <c>#!sensitivity</c>'s analysis
/// (each layer pruned alone to each amount, accuracy on the test split, the model restored), as a table, JSON or the
/// notebook's chart; in this process, or one trial per layer on a sweep backend.
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
        var criterion = new CriterionOptions(CriterionUse.Entries);
        var layers = new Option<string?>("--layers") { Description = "Comma-separated layer names (default: every Linear and convolution layer)." };
        var output = new OutputOptions();
        var sweep = new SweepOptions(inProcessByDefault: true);
        var command = new Command("sensitivity", "Prune each layer alone to each amount and measure test accuracy (the model is restored afterwards) (#!sensitivity); with --backend, one trial per layer runs as a worker process or Slurm array task.")
        {
            model, weights, data, limit, amounts, layers,
        };
        foreach (var option in sweep.All)
            command.Add(option);
        criterion.AddTo(command);
        output.AddTo(command);
        command.SetAction(parsed =>
        {
            var result = output.Open(parsed, console, "sensitivity");
            CommonOptions.RefuseTextModel(parsed.GetValue(model)!, "sensitivity measures test accuracy");
            var sparsities = Sensitivity.ParseSparsities(parsed.GetValue(amounts));
            if (sweep.Execution(parsed) is { } execution)
            {
                if (criterion.Arguments(parsed).Count > 0)
                    throw new ArgumentException("--n and --seed apply in process: drop them with --backend (worker trials use the criterion's defaults).");
                if (parsed.GetValue(limit) is < 1)
                    throw new ArgumentException($"--limit must be at least 1, got {parsed.GetValue(limit)}.");
                using var scanned = CommonOptions.LoadModel(parsed.GetValue(model)!, parsed.GetValue(weights));
                var names = OptionValues.List(parsed.GetValue(layers)) is { } given ? Pruner.WeightsOf(scanned, given) : Pruner.DefaultTargets(scanned);
                var described = new DataSpec(DataSpec.FashionMnistName, parsed.GetValue(limit), CommonOptions.ImageFolder(parsed.GetValue(data)));
                var scan = result.Work("sensitivity", () => SensitivityStudy.Run(scanned, described, sparsities, execution, names, criterion.Name(parsed) ?? "l1"));
                result.Write(Tables.Sensitivity(scan));
                result.Finish(scan, $"prunenotebook sensitivity · {scan.ModelName}", scan);
                return 0;
            }
            // The evaluation data is also what a criterion that measures on data uses, so data is always given.
            var chosen = Criteria.Create(criterion.Name(parsed), criterion.Arguments(parsed), CriterionUse.Entries, dataGiven: true);
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
