using System.CommandLine;
using System.Globalization;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using Spectre.Console;

namespace PruneNotebook.Cli;

/// <summary>
/// <c>prunenotebook prune --model lenet5 --weights in (--amount 0.9 | --n-m 2:4) [--criterion l1|l2|ln|random|taylor|apoz|bn|lamp|wanda|sparsegpt]
/// [--scope local|global] [--structured [--dim 0]] [--n 2] [--seed 0] [--samples 128] [--blocksize 128] [--damping 0.01] [--layers ..]
/// [--evaluate] [--data fashion-mnist|fortunes|folder | --calibration ..] [--context 64] [--save out]</c>: prunes by masks (PyTorch's
/// semantics) with the same options, meanings and defaults as <c>#!prune</c>, and shows the sparsity, with test accuracy
/// (on text: validation perplexity) before and after when asked. On text, wanda and sparsegpt calibrate on
/// <c>--samples</c> training windows spread over the corpus, as a recipe's prune step does.
/// </summary>
internal static class PruneVerb
{
    public static Command Create(IAnsiConsole console)
    {
        var source = new ModelDataOptions();
        var (model, weights, data, limit, context) = (source.Model, source.Weights, source.Data, source.Limit, source.Context);
        var save = CommonOptions.Save("the pruned model");
        var amount = new Option<string?>("--amount") { Description = "Fraction of what remains (0.9 or 90%) or a count (120); required unless --n-m is given." };
        var nm = new Option<string?>("--n-m") { Description = "N:M semi-structured sparsity instead of an amount: keep N of every M consecutive inputs (e.g. 2:4)." };
        var calibration = new Option<string?>("--calibration") { Description = "The same as --data, spelled for the post-training criteria (wanda, sparsegpt): their calibration batches come from its training split." };
        var scope = new Option<string?>("--scope") { Description = "local (each layer loses the amount, default) or global (one threshold)." };
        scope.AcceptOnlyFromAmong("local", "global");
        var criterion = new CriterionOptions();
        var structured = new Option<bool>("--structured") { Description = "Prune whole units (rows of Linear, filters of Conv2d) instead of weights." };
        var dim = new Option<string?>("--dim") { Description = "Unit dimension for --structured: 0 outputs (default), 1 inputs." };
        var samples = new Option<string?>("--samples") { Description = "For --criterion wanda/sparsegpt: calibration examples (default 128)." };
        var blocksize = new Option<string?>("--blocksize") { Description = "For --criterion sparsegpt: columns per block (default 128)." };
        var damping = new Option<string?>("--damping") { Description = "For --criterion sparsegpt: dampening, a fraction of the mean Hessian diagonal (default 0.01)." };
        var layers = new Option<string?>("--layers") { Description = "Comma-separated layer names (default: every Linear and convolution layer; for chargpt the Linear layers of its blocks, not the head)." };
        var evaluate = new Option<bool>("--evaluate") { Description = "Report test accuracy (on text: validation perplexity) before and after pruning." };
        var command = new Command("prune", "Prune a model's weights or whole units with any registered criterion, locally or globally, and show its sparsity.")
        {
            calibration, save, amount, nm, scope, structured, dim, samples, blocksize, damping, layers, evaluate,
        };
        criterion.AddTo(command);
        source.AddTo(command);
        var output = new OutputOptions();
        output.AddTo(command);
        command.SetAction(parsed =>
        {
            var result = output.Open(parsed, console, "prune");
            if (parsed.GetValue(data) is not null && parsed.GetValue(calibration) is not null)
                throw new ArgumentException("--calibration is another name for --data: give one of them.");
            var folder = parsed.GetValue(data) ?? parsed.GetValue(calibration);
            var request = new PruneRequest(parsed.GetValue(amount) ?? "")
            {
                NM = parsed.GetValue(nm),
                Criterion = criterion.Name(parsed),
                Scope = parsed.GetValue(scope),
                Structured = parsed.GetValue(structured),
                Dim = parsed.GetValue(dim),
                Arguments = criterion.Arguments(parsed)
                    .Concat(new[] { ("samples", parsed.GetValue(samples)), ("blocksize", parsed.GetValue(blocksize)), ("damping", parsed.GetValue(damping)) }
                        .Where(a => !string.IsNullOrWhiteSpace(a.Item2)).Select(a => KeyValuePair.Create(a.Item1, a.Item2!.Trim())))
                    .ToDictionary(),
            };
            // A criterion that measures on data uses the training split of the --data folder, which must then be named;
            // otherwise --data is the folder --evaluate reads. Every option is checked before anything is loaded.
            var needsData = Criteria.Get(request.Criterion).NeedsData;
            var criterionData = needsData && folder is not null;
            request.Check(criterionData);
            CommonOptions.CheckWritable(parsed.GetValue(save));
            using var network = CommonOptions.LoadModel(parsed.GetValue(model)!, parsed.GetValue(weights));
            var text = CliData.Check(network, parsed.GetValue(model)!, folder, parsed.GetValue(limit), parsed.GetValue(context));
            if (text && Criteria.RefusalOnText(request.Criterion) is { } refusal)
                throw new ArgumentException(refusal);
            var targets = parsed.GetValue(layers) is { } names
                ? Pruner.WeightsOf(network, names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                : Pruner.DefaultTargets(network);
            var loadData = parsed.GetValue(evaluate) || criterionData;
            using var loaded = loadData ? CliData.Load(network, parsed.GetValue(model)!, folder, parsed.GetValue(limit), parsed.GetValue(context)) : null;
            Func<double>? measure = loaded is null || !parsed.GetValue(evaluate) ? null
                : loaded.Text is { } corpus ? () => LanguageModelTraining.Evaluate(network, corpus.Validation).Perplexity
                : () => Trainer.Evaluate(network, loaded.Images!.Test).Accuracy;
            var before = measure?.Invoke();
            using var sample = criterionData ? loaded!.Text?.TrainSample(request.CalibrationSamples) : null;
            var report = request.Run(network, targets, criterionData ? sample ?? loaded!.Images!.Train : null);
            result.Write(Tables.Sparsity(report));
            var after = measure?.Invoke();
            if (before is not null)
                result.Line(text
                    ? string.Format(CultureInfo.InvariantCulture, "validation perplexity: {0:F4} before, {1:F4} after pruning (no fine-tuning)", before, after)
                    : $"test accuracy: {Tables.Percent(before.Value)} before, {Tables.Percent(after!.Value)} after pruning (no fine-tuning)");
            var saved = parsed.GetValue(save);
            if (saved is not null)
            {
                ModelFile.Save(network, saved.FullName);
                result.Line($"saved {saved.FullName}");
            }
            result.Finish(text
                    ? new { sparsity = report, perplexityBefore = before, perplexityAfter = after, saved = saved?.FullName }
                    : (object)new { sparsity = report, accuracyBefore = before, accuracyAfter = after, saved = saved?.FullName },
                $"prunenotebook prune · {report.ModelName}", report);
            return 0;
        });
        return command;
    }
}
