using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Tradeoff studies as sweeps: <see cref="Plan"/> turns <see cref="TradeoffOptions"/> into trials (the dense model in the
/// first wave; then every criterion × target × seed loads it, prunes, is evaluated, fine-tuned with the same budget and
/// evaluated again), <see cref="Run(TradeoffOptions, string?, ISweepBackend?, SweepRunOptions?, IProgress{SweepProgress}?, CancellationToken)"/>
/// runs them on any backend, and <see cref="Read"/> turns the results into a <see cref="TradeoffResult"/> (also written
/// to <c>tradeoff.json</c> in the sweep directory).
/// </summary>
public static class TradeoffStudy
{
    /// <summary>The dense checkpoint's file name in the sweep directory.</summary>
    public const string DenseFile = "dense.bin";

    /// <summary>The aggregate's file name in the sweep directory.</summary>
    public const string ResultFile = "tradeoff.json";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The study's trials as a sweep spec.</summary>
    /// <exception cref="ArgumentException">An option is not valid.</exception>
    public static SweepSpec Plan(TradeoffOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var mode = options.Mode == TradeoffMode.Weights ? "weights" : "channels";
        var fineTune = (options.FineTune ?? new TrainStep()) with { Label = "finetune" };
        var dense = options.DenseWeights ?? DenseFile;
        var trained = options.DenseWeights is null;
        var trials = new List<TrialSpec>
        {
            Trial(options, options.AllSeeds[0], 0, new Dictionary<string, string> { ["role"] = "dense" },
                [.. trained ? new TrialStep[] { (options.DenseTraining ?? new TrainStep(Epochs: 2)) with { Label = "dense-training" }, new SaveStep(DenseFile) } : [new LoadStep(dense)],
                 new EvaluateStep("dense"), new MeasureStep("dense")]),
        };
        foreach (var criterion in options.AllCriteria)
            foreach (var target in options.Targets.Order())
                foreach (var seed in options.AllSeeds)
                {
                    TrialStep prune = options.Mode == TradeoffMode.Weights
                        ? new PruneStep(criterion, PruningAmount.Of(target), options.Scope)
                        : new CompressStep(criterion, PruningAmount.Of(target), options.Scope);
                    trials.Add(Trial(options, seed, trained ? 1 : 0,
                        new Dictionary<string, string>
                        {
                            ["role"] = "pruned", ["criterion"] = criterion, ["target"] = target.ToString("R", C), ["seed"] = seed.ToString(C),
                        },
                        [new LoadStep(dense), new MeasureStep("dense"), prune, new EvaluateStep("pruned"), fineTune, new EvaluateStep("finetuned"), new MeasureStep("pruned")]));
                }
        return new SweepSpec(options.Label ?? $"tradeoff {options.Model} {mode} {options.Scope}", trials);
    }

    /// <summary>Runs the study in <paramref name="directory"/> (default <see cref="SweepDirectory.DefaultPath"/>) on <paramref name="backend"/> (default in process).</summary>
    /// <returns>The study's figures; trials that failed are listed in <see cref="TradeoffResult.Failures"/>.</returns>
    /// <exception cref="ArgumentException">An option is not valid.</exception>
    /// <exception cref="InvalidDataException">The directory holds another sweep.</exception>
    /// <exception cref="SweepBackendException">The backend cannot run here.</exception>
    public static TradeoffResult Run(TradeoffOptions options, string? directory = null, ISweepBackend? backend = null, SweepRunOptions? run = null,
        IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var spec = Plan(options);
        var sweep = SweepDirectory.Create(directory ?? SweepDirectory.DefaultPath(spec), spec);
        return Execute(sweep, backend, run, progress, cancellationToken);
    }

    /// <summary>
    /// Runs the study from a trained model in memory: it is saved into the sweep directory as the dense checkpoint
    /// (<see cref="TradeoffOptions.Model"/> and <see cref="TradeoffOptions.DenseWeights"/> are taken from it). The
    /// study's name carries a hash of the weights, so another model makes another study. The model is not changed.
    /// </summary>
    /// <exception cref="ArgumentException">The model is not a built-in architecture worker processes can rebuild, or an option is not valid.</exception>
    public static TradeoffResult Run(nn.Module<Tensor, Tensor> dense, TradeoffOptions options, string? directory = null, ISweepBackend? backend = null,
        SweepRunOptions? run = null, IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dense);
        ArgumentNullException.ThrowIfNull(options);
        var name = ZooModels.NameOf(dense);
        var saved = Path.Combine(Path.GetTempPath(), $"prunenotebook-dense-{Environment.ProcessId}-{Guid.NewGuid():N}.bin");
        try
        {
            ModelFile.Save(dense, saved);
            string hash;
            using (var stream = File.OpenRead(saved))
                hash = Convert.ToHexStringLower(SHA256.HashData(stream))[..12];
            var mode = options.Mode == TradeoffMode.Weights ? "weights" : "channels";
            var spec = Plan(options with
            {
                Model = name,
                DenseWeights = DenseFile,
                Label = $"{options.Label ?? $"tradeoff {name} {mode} {options.Scope}"} (dense {hash})",
            });
            var sweep = SweepDirectory.Create(directory ?? SweepDirectory.DefaultPath(spec), spec);
            var target = sweep.Resolve(DenseFile);
            if (!File.Exists(target))
                File.Move(saved, target);
            return Execute(sweep, backend, run, progress, cancellationToken);
        }
        finally
        {
            File.Delete(saved);
        }
    }

    /// <summary>The study's figures from the results in <paramref name="sweep"/> (trials without a result are listed as failures).</summary>
    /// <exception cref="ArgumentException">The sweep is not a tradeoff study.</exception>
    public static TradeoffResult Read(SweepDirectory sweep, string backend = "", double seconds = 0)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var spec = sweep.Spec;
        var denseIndex = spec.Trials.ToList().FindIndex(t => t.Tags?.GetValueOrDefault("role") == "dense");
        if (denseIndex < 0)
            throw new ArgumentException($"Sweep '{spec.Name}' is not a tradeoff study: it has no dense trial.", nameof(sweep));
        var denseSpec = spec.Trials[denseIndex];
        var results = sweep.ReadResults();
        var dense = results[denseIndex] is { Status: TrialOutcome.Done } d ? d : null;
        var failures = new List<string>();
        var trials = new List<TradeoffTrial>();
        var criteria = new List<string>();
        string? fineTuning = null;
        string? scope = null;
        var channels = false;
        for (var i = 0; i < spec.Trials.Count; i++)
        {
            var tags = spec.Trials[i].Tags ?? new Dictionary<string, string>();
            if (results[i] is not { Status: TrialOutcome.Done } result)
            {
                failures.Add($"trial {i} ({Describe(tags)}): {results[i]?.Error ?? "no result"}");
                continue;
            }
            if (tags.GetValueOrDefault("role") != "pruned")
                continue;
            var criterion = tags["criterion"];
            if (!criteria.Contains(criterion))
                criteria.Add(criterion);
            var steps = spec.Trials[i].Steps;
            fineTuning ??= steps.OfType<TrainStep>().FirstOrDefault()?.Describe().Replace("train (finetune): ", "", StringComparison.Ordinal);
            scope ??= steps.OfType<PruneStep>().Select(s => s.Scope).Concat(steps.OfType<CompressStep>().Select(s => s.Scope)).FirstOrDefault();
            channels |= steps.OfType<CompressStep>().Any();
            double? before = result.Metrics.TryGetValue("compress.latency_ms_before", out var b) ? b : null;
            double? after = result.Metrics.TryGetValue("compress.latency_ms_after", out var a) ? a : null;
            trials.Add(new TradeoffTrial(i, criterion, double.Parse(tags["target"], C), long.Parse(tags["seed"], C),
                (long)result["pruned.parameters"], (long)result["pruned.nonzero_parameters"], (long)result["pruned.macs"], (long)result["pruned.nonzero_macs"],
                result["dense.parameters"] / Math.Max(1, result["pruned.nonzero_parameters"]),
                result["dense.macs"] / Math.Max(1, result["pruned.nonzero_macs"]),
                before is { } x && after is { } y && y > 0 ? x / y : null, after,
                result["pruned.accuracy"], result["finetuned.accuracy"]));
        }
        var points = trials.GroupBy(t => (t.Criterion, t.Target))
            .OrderBy(g => criteria.IndexOf(g.Key.Criterion)).ThenBy(g => g.Key.Target)
            .Select(g => Point(g.Key.Criterion, g.Key.Target, g.ToList()))
            .ToList();
        return new TradeoffResult(spec.Name, denseSpec.Model, Describe(denseSpec.Data), channels ? "channels" : "weights", scope ?? "local", fineTuning ?? "",
            dense?["dense.accuracy"] ?? double.NaN, (long)(dense?.Metrics.GetValueOrDefault("dense.parameters") ?? 0), (long)(dense?.Metrics.GetValueOrDefault("dense.macs") ?? 0),
            trials, points, failures, sweep.Path, backend, seconds);
    }

    /// <summary><see cref="Read"/>, and the result written to <see cref="ResultFile"/> in the sweep directory (plain JSON).</summary>
    /// <exception cref="ArgumentException">The sweep is not a tradeoff study.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static TradeoffResult Summarize(SweepDirectory sweep, string backend = "", double seconds = 0)
    {
        var result = Read(sweep, backend, seconds);
        sweep.WriteText(ResultFile, JsonSerializer.Serialize(result, SweepJson.Options));
        return result;
    }

    private static TradeoffResult Execute(SweepDirectory sweep, ISweepBackend? backend, SweepRunOptions? run, IProgress<SweepProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        backend ??= new InProcessBackend();
        SweepRunner.Run(sweep, backend, run, progress, cancellationToken);
        return Summarize(sweep, backend.Describe(), watch.Elapsed.TotalSeconds);
    }

    private static TrialSpec Trial(TradeoffOptions options, long seed, int wave, Dictionary<string, string> tags, IReadOnlyList<TrialStep> steps) =>
        new(options.Model, options.Data, steps, seed, options.Hidden, wave, tags);

    private static TradeoffPoint Point(string criterion, double target, IReadOnlyList<TradeoffTrial> trials)
    {
        var measured = trials.All(t => t.MeasuredSpeedup is not null) ? trials.Select(t => t.MeasuredSpeedup!.Value).ToList() : null;
        return new TradeoffPoint(criterion, target, trials.Count,
            Mean(trials.Select(t => t.Compression)), Std(trials.Select(t => t.Compression)),
            Mean(trials.Select(t => t.TheoreticalSpeedup)), Std(trials.Select(t => t.TheoreticalSpeedup)),
            measured is null ? null : Mean(measured), measured is null ? null : Std(measured),
            Mean(trials.Select(t => t.AccuracyBeforeFineTuning)), Std(trials.Select(t => t.AccuracyBeforeFineTuning)),
            Mean(trials.Select(t => t.Accuracy)), Std(trials.Select(t => t.Accuracy)));
    }

    private static double Mean(IEnumerable<double> values) => values.Average();

    /// <summary>Sample standard deviation (n − 1), 0 for fewer than two values.</summary>
    private static double Std(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count < 2)
            return 0;
        var mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
    }

    private static string Describe(IReadOnlyDictionary<string, string> tags) =>
        tags.GetValueOrDefault("role") == "pruned" ? $"{tags["criterion"]} {tags["target"]} seed {tags["seed"]}" : tags.GetValueOrDefault("role") ?? "trial";

    private static string Describe(DataSpec data) => data.Limit is { } limit ? $"{data.Name} (first {limit})" : data.Name;
}
