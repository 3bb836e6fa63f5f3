using System.CommandLine;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using Spectre.Console;

namespace PruneNotebook.Cli;

/// <summary>
/// <c>prunenotebook prune --model lenet5 --weights in --amount 0.9 [--scope global] [--method l1|random] [--layers ..] [--save out]</c>:
/// prunes by masks (PyTorch's semantics) and shows the sparsity, with test accuracy before and after when asked.
/// </summary>
internal static class PruneVerb
{
    public static Command Create(IAnsiConsole console)
    {
        var model = CommonOptions.Model();
        var weights = CommonOptions.Weights();
        var data = CommonOptions.Data();
        var limit = CommonOptions.Limit();
        var save = CommonOptions.Save("the pruned model");
        var amount = new Option<string>("--amount") { Description = "Fraction of what remains (0.9 or 90%) or a count (120).", Required = true };
        var scope = new Option<string>("--scope") { Description = "local (each layer loses the amount) or global (one threshold).", DefaultValueFactory = _ => "global" };
        scope.AcceptOnlyFromAmong("local", "global");
        var method = new Option<string>("--method") { Description = "l1 (magnitude) or random.", DefaultValueFactory = _ => "l1" };
        method.AcceptOnlyFromAmong("l1", "random");
        var layers = new Option<string?>("--layers") { Description = "Comma-separated layer names (default: every Linear and convolution layer)." };
        var evaluate = new Option<bool>("--evaluate") { Description = "Report test accuracy before and after pruning." };
        var seed = new Option<int>("--seed") { Description = "Seed for --method random." };
        var command = new Command("prune", "Prune a model's weights by magnitude or at random, locally or globally, and show its sparsity.")
        {
            model, weights, data, limit, save, amount, scope, method, layers, evaluate, seed,
        };
        command.SetAction(parsed =>
        {
            var pruningAmount = PruningAmount.Parse(parsed.GetValue(amount)!);
            CommonOptions.CheckWritable(parsed.GetValue(save));
            using var network = CommonOptions.LoadModel(parsed.GetValue(model)!, parsed.GetValue(weights));
            var targets = parsed.GetValue(layers) is { } names
                ? Pruner.WeightsOf(network, names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                : Pruner.DefaultTargets(network);
            using var fashion = parsed.GetValue(evaluate) ? CommonOptions.LoadData(parsed.GetValue(data), parsed.GetValue(limit)) : null;
            var before = fashion is null ? (double?)null : Trainer.Evaluate(network, fashion.Test).Accuracy;
            using var random = parsed.GetValue(method) == "random" ? new RandomImportance(parsed.GetValue(seed)) : null;
            IImportance importance = random is not null ? random : new LnNormImportance(1);
            var report = Pruner.Unstructured(network, targets, pruningAmount, importance, parsed.GetValue(scope) == "global" ? PruningScope.Global : PruningScope.Local);
            console.Write(Tables.Sparsity(report));
            if (fashion is not null)
                console.WriteLine($"test accuracy: {Tables.Percent(before!.Value)} before, {Tables.Percent(Trainer.Evaluate(network, fashion.Test).Accuracy)} after pruning (no fine-tuning)");
            if (parsed.GetValue(save) is { } file)
            {
                ModelFile.Save(network, file.FullName);
                console.WriteLine($"saved {file.FullName}");
            }
            return 0;
        });
        return command;
    }
}
