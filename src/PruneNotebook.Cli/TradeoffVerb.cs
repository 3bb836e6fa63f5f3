using System.CommandLine;
using System.Globalization;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PruneNotebook.Cli;

/// <summary>
/// <c>prunenotebook tradeoff --model lenet5 [--weights dense.bin] --sparsities 0.5,0.75,0.9 [--criteria l2] [--seeds 3] --dir &lt;sweep-dir&gt;</c>:
/// a tradeoff study (criteria × targets × seeds from one dense checkpoint, random and magnitude baselines included) run
/// as worker processes or a Slurm job array; prints mean ± std per criterion and target.
/// </summary>
internal static class TradeoffVerb
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static Command Create(IAnsiConsole console)
    {
        var model = CommonOptions.Model();
        var weights = new Option<FileInfo?>("--weights") { Description = "A trained dense model ('train --save'); without it the study trains one first (--dense-epochs)." };
        var data = CommonOptions.Data();
        var limit = CommonOptions.Limit();
        var targets = new Option<string>("--sparsities") { Description = "Target sparsities of the prunable weights (or, with --channels, fractions of units removed), e.g. 0.5,0.75,0.9,0.95.", Required = true };
        var criteria = new Option<string?>("--criteria") { Description = "Criteria besides the baselines (l1 magnitude and random), e.g. l2; with --channels also bn, taylor, apoz." };
        var noBaselines = new Option<bool>("--no-baselines") { Description = "Leave out the random and magnitude baselines." };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per criterion and target (0, 1, ...).", DefaultValueFactory = _ => 3 };
        var scope = new Option<string>("--scope") { Description = "local (each layer loses the target) or global (one threshold).", DefaultValueFactory = _ => "local" };
        scope.AcceptOnlyFromAmong("local", "global");
        var channels = new Option<bool>("--channels") { Description = "Remove channels and neurons by surgery (measured speedup) instead of masking weights." };
        var denseEpochs = new Option<int>("--dense-epochs") { Description = "Epochs of the dense model when --weights is not given.", DefaultValueFactory = _ => 2 };
        var fineTuneEpochs = new Option<int>("--fine-tune-epochs") { Description = "Fine-tuning epochs of every pruned model (the same budget for all).", DefaultValueFactory = _ => 1 };
        var lr = new Option<double>("--lr") { Description = "Learning rate of the training and fine-tuning.", DefaultValueFactory = _ => 1e-3 };
        var optimizer = new Option<string>("--optimizer") { Description = $"One of {string.Join(", ", OptimizerFactory.Names)}.", DefaultValueFactory = _ => "adam" };
        var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 128 };
        var directory = new Option<DirectoryInfo?>("--dir") { Description = "The sweep directory (default: one under the temporary folder named after the study; on a cluster, a shared one)." };
        var sweepOptions = new SweepOptions();
        var command = new Command("tradeoff", "Tradeoff study: prune a dense model with each criterion at each target and seed, fine-tune equally, report accuracy vs compression and speedup.")
        {
            model, weights, data, limit, targets, criteria, noBaselines, seeds, scope, channels, denseEpochs, fineTuneEpochs, lr, optimizer, batchSize, directory,
        };
        foreach (var option in sweepOptions.All)
            command.Add(option);
        var output = new OutputOptions();
        output.AddTo(command);
        command.SetAction(parsed =>
        {
            var written = output.Open(parsed, console, "tradeoff");
            CommonOptions.RefuseTextModel(parsed.GetValue(model)!, "a tradeoff study trains and measures test accuracy");
            var count = parsed.GetValue(seeds);
            if (count < 1)
                throw new ArgumentException($"--seeds must be at least 1, got {count}.");
            if (parsed.GetValue(limit) is < 1)
                throw new ArgumentException($"--limit must be at least 1, got {parsed.GetValue(limit)}.");
            if (parsed.GetValue(weights) is { Exists: false } missing)
                throw new ArgumentException($"--weights '{missing.FullName}' does not exist.");
            var train = new TrainStep(parsed.GetValue(fineTuneEpochs), parsed.GetValue(lr), parsed.GetValue(optimizer)!, parsed.GetValue(batchSize));
            var options = new TradeoffOptions(
                parsed.GetValue(model)!.Trim().ToLowerInvariant(),
                new DataSpec(DataSpec.FashionMnistName, parsed.GetValue(limit), CommonOptions.ImageFolder(parsed.GetValue(data))),
                Numbers(parsed.GetValue(targets)!),
                parsed.GetValue(criteria)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Enumerable.Range(0, count).Select(s => (long)s).ToArray(),
                train,
                train with { Epochs = parsed.GetValue(denseEpochs) },
                parsed.GetValue(weights)?.FullName,
                parsed.GetValue(scope)!,
                parsed.GetValue(channels) ? TradeoffMode.Channels : TradeoffMode.Weights,
                !parsed.GetValue(noBaselines));
            var spec = TradeoffStudy.Plan(options);
            var backend = sweepOptions.CreateBackend(parsed);
            var run = sweepOptions.RunOptions(parsed);
            run.Validate();
            var sweep = SweepDirectory.Create(parsed.GetValue(directory)?.FullName ?? SweepDirectory.DefaultPath(spec), spec);
            // With --output json, standard output carries the JSON document only: the progress lines go nowhere.
            var progress = written.Json ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }) : console;
            var outcome = SweepConsole.Run(progress, sweep, backend, run, showTrials: false);
            var result = TradeoffStudy.Summarize(sweep, outcome.Backend, outcome.Seconds);
            written.Write(Points(result));
            written.Line($"per-trial results: {Path.Combine(sweep.Path, "results")}; summary: {Path.Combine(sweep.Path, TradeoffStudy.ResultFile)}");
            outcome.EnsureSucceeded();
            written.Finish(result, $"prunenotebook tradeoff · {result.Name}", result);
            return 0;
        });
        return command;
    }

    /// <summary>Mean ± std per criterion and target.</summary>
    public static IRenderable Points(TradeoffResult result)
    {
        var table = new Table().Title(Markup.Escape($"{result.Name} · dense {Tables.Percent(result.DenseAccuracy)} · fine-tuning {result.FineTuning}"))
            .AddColumns("criterion", "target", "seeds", "compression", "theoretical speedup", "measured speedup", "accuracy before fine-tuning", "accuracy");
        foreach (var p in result.Points)
        {
            table.AddRow(Markup.Escape(p.Criterion), p.Target.ToString("G4", C), p.Seeds.ToString(C), Pm(p.Compression, p.CompressionStd, "F2", "×"),
                Pm(p.TheoreticalSpeedup, p.TheoreticalSpeedupStd, "F2", "×"), p.MeasuredSpeedup is { } m ? Pm(m, p.MeasuredSpeedupStd ?? 0, "F2", "×") : "",
                Pm(100 * p.AccuracyBeforeFineTuning, 100 * p.AccuracyBeforeFineTuningStd, "F2", " %"), Pm(100 * p.Accuracy, 100 * p.AccuracyStd, "F2", " %"));
        }
        foreach (var column in table.Columns.Skip(1))
            column.RightAligned();
        return table;
    }

    private static string Pm(double mean, double std, string format, string unit) => $"{mean.ToString(format, C)} ± {std.ToString(format, C)}{unit}";

    private static double[] Numbers(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => double.TryParse(t, NumberStyles.Float, C, out var v) ? v : throw new ArgumentException($"--sparsities '{text}' is not a comma-separated list of fractions, e.g. 0.5,0.75,0.9."))
            .ToArray();
}
