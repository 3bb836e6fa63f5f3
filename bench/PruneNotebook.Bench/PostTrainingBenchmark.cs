using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PruneNotebook.Core.Calibration;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Bench;

/// <summary>
/// `posttraining`: on CharGpt (random weights; timing only) with 128 calibration windows of 64 tokens, magnitude
/// scoring of every Linear weight against Wanda's (its calibration pass apart from its scoring), and SparseGPT at 50 %
/// on every Linear layer through <see cref="Pruner.Unstructured"/>, beside the PyTorch peer
/// (`bench/python/posttraining.py`: the papers' code on the same architecture).
/// </summary>
public static class PostTrainingBenchmark
{
    public static int Run(string[] args)
    {
        var threads = GlobalPruningBenchmark.Option(args, "--threads", 2);
        var repeats = GlobalPruningBenchmark.Option(args, "--repeats", 3);
        torch.set_num_threads(threads);
        var root = RepositoryRoot.Find();
        manual_seed(0);
        using var model = new CharGpt();
        using var calibration = new TensorDataset(randint(96, [128, 64]), zeros(128, ScalarType.Int64));
        // In the order the model calls the layers, as the pruner scores calibrated criteria (block by block).
        var order = CalibrationPass.LinearLayersInCallOrder(model, calibration).Select((layer, i) => (layer, i)).ToDictionary(p => p.layer + ".weight", p => p.i);
        var targets = Pruner.DefaultTargets(model).OrderBy(t => order[t]).ToList();
        var runs = new Dictionary<string, List<double>> { ["magnitude"] = [], ["calibration"] = [], ["wanda"] = [], ["sparsegpt"] = [] };
        var magnitude = new MagnitudeCriterion(1);
        var wanda = new WandaCriterion();
        var weights = targets.Select(t => model.named_parameters().Single(p => p.name == t).parameter).ToList();
        for (var i = 0; i < repeats; i++)
        {
            using (var context = new ScoringContext(model, calibration))
            {
                runs["magnitude"].Add(Time(() => Score(magnitude, weights, targets, context)));
                // The first Wanda scoring runs the calibration (block by block, kept in the context); the second only scores.
                var first = Time(() => Score(wanda, weights, targets, context));
                runs["wanda"].Add(Time(() => Score(wanda, weights, targets, context)));
                runs["calibration"].Add(first);
            }
            using var pruned = new CharGpt();
            pruned.load_state_dict(model.state_dict());
            runs["sparsegpt"].Add(Time(() => Pruner.Unstructured(pruned, targets, PruningAmount.Of(0.5), new SparseGptCriterion(), data: calibration)));
        }
        double Ours(string name) => GlobalPruningBenchmark.Median(runs[name]);

        var peer = PyTorchPeer.RunScript(root, "bench/python/posttraining.py",
            ["--threads", threads.ToString(CultureInfo.InvariantCulture), "--repeats", repeats.ToString(CultureInfo.InvariantCulture)], out var problem);
        string Theirs(string key, double scale = 1) => peer is { } p ? $"{p.GetProperty(key).GetDouble() * scale:F1}" : "n/a";

        Console.WriteLine($"CharGpt (dim 64, 2 blocks, {targets.Count} Linear layers), 128 calibration windows of 64 tokens, {threads} threads, median of {repeats}");
        Console.WriteLine($"{"",-40}{"ours (TorchSharp)",20}{"PyTorch 1.13",16}");
        Console.WriteLine(new string('-', 76));
        Row("magnitude scoring, every Linear (ms)", $"{Ours("magnitude") * 1e3:F2}", Theirs("magnitude_scoring_s", 1e3));
        Row("wanda scoring, every Linear (ms)", $"{Ours("wanda") * 1e3:F2}", Theirs("wanda_scoring_s", 1e3));
        Row("wanda calibration, block by block (ms)", $"{Ours("calibration") * 1e3:F1}", Theirs("wanda_calibration_s", 1e3));
        Row("sparsegpt 50 %, every Linear (s)", $"{Ours("sparsegpt"):F2}", Theirs("sparsegpt_s"));
        Row("wanda / magnitude scoring", $"{Ours("wanda") / Ours("magnitude"):F2}×",
            peer is { } q ? $"{q.GetProperty("wanda_scoring_s").GetDouble() / q.GetProperty("magnitude_scoring_s").GetDouble():F2}×" : "n/a");
        if (problem is not null)
            Console.WriteLine(problem);
        Console.WriteLine("(target: wanda scoring ≤ 2× magnitude scoring; the calibration pass is a few forward passes, shown apart)");
        var steps = GlobalPruningBenchmark.Option(args, "--steps", 1500);
        if (steps > 0)
            Quality(root, threads, steps);
        return 0;
    }

    /// <summary>
    /// The quality target: CharGpt trained on the fortunes corpus, every Linear layer of its blocks pruned one-shot at
    /// 50 % and 2:4 by magnitude, Wanda and SparseGPT, validation perplexity; the PyTorch peer prunes the same trained
    /// weights with the papers' code on the same calibration and validation windows.
    /// </summary>
    private static void Quality(string root, int threads, int steps)
    {
        using var corpus = FortunesCorpus.Load(length: 64);
        using var validation = corpus.Validation.Subset(arange(0, corpus.Validation.Count, 8));
        using var calibration = corpus.TrainSample(128);
        manual_seed(0);
        using var model = new CharGpt();
        var watch = Stopwatch.StartNew();
        LanguageModelTraining.Train(model, corpus.Train, steps, batchSize: 32, learningRate: 3e-3);
        var trained = watch.Elapsed.TotalSeconds;
        var targets = Pruner.DefaultTargets(model).Where(t => t.StartsWith("blocks.", StringComparison.Ordinal)).ToList();
        var ours = PerplexityComparison.Measure(model, targets, ["0.5", "2:4"], ["l1", "wanda", "sparsegpt"], calibration, validation);

        var file = Path.Combine(Path.GetTempPath(), $"prunenotebook-posttraining-{Environment.ProcessId}.json");
        JsonElement? peer;
        string? problem;
        try
        {
            WriteSpec(file, model, calibration, validation);
            peer = PyTorchPeer.RunScript(root, "bench/python/posttraining_quality.py", ["--input", file, "--threads", threads.ToString(CultureInfo.InvariantCulture)], out problem);
        }
        finally
        {
            File.Delete(file);
        }
        Console.WriteLine();
        Console.WriteLine($"CharGpt trained {steps} steps (32 windows of 64 characters, AdamW 3e-3) in {trained:F0} s; every Linear layer of the blocks pruned one-shot, no fine-tuning;");
        Console.WriteLine($"128 calibration windows, validation perplexity on {validation.Count} windows (the peer prunes the same trained weights with the papers' code)");
        Console.WriteLine($"{"validation perplexity",-40}{"ours (TorchSharp)",20}{"PyTorch 1.13",16}");
        Console.WriteLine(new string('-', 76));
        string Theirs(string key) => peer is { } p && p.TryGetProperty(key, out var v) ? $"{v.GetDouble():F3}" : "n/a";
        Row("dense", $"{ours.DensePerplexity:F3}", Theirs("dense"));
        foreach (var setting in new[] { "0.5", "2:4" })
            foreach (var criterion in new[] { "l1", "wanda", "sparsegpt" })
            {
                var label = criterion == "l1" ? "magnitude" : criterion;
                Row($"{label} at {(setting == "0.5" ? "50 %" : setting)}", $"{ours.Of(setting, criterion):F3}", Theirs($"{label}@{setting}"));
            }
        if (problem is not null)
            Console.WriteLine(problem);
        Console.WriteLine("(target: Wanda and SparseGPT closer to dense than magnitude, at 50 % and at 2:4)");
    }

    /// <summary>The trained weights and the windows, as JSON for the peer.</summary>
    private static void WriteSpec(string path, CharGpt model, TensorDataset calibration, TensorDataset validation)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteStartObject("config");
        json.WriteEndObject();
        json.WriteStartObject("weights");
        foreach (var (name, parameter) in model.named_parameters())
        {
            json.WriteStartObject(name);
            json.WriteStartArray("shape");
            foreach (var d in parameter.shape)
                json.WriteNumberValue(d);
            json.WriteEndArray();
            json.WriteStartArray("values");
            foreach (var v in parameter.detach().cpu().flatten().data<float>())
                json.WriteNumberValue(v);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        Tokens(json, "calibration", calibration.Features);
        Tokens(json, "validation_features", validation.Features);
        Tokens(json, "validation_labels", validation.Labels);
        json.WriteEndObject();
    }

    private static void Tokens(Utf8JsonWriter json, string name, Tensor tokens)
    {
        json.WriteStartArray(name);
        var values = tokens.cpu().to_type(ScalarType.Int64).data<long>().ToArray();
        var width = tokens.shape[1];
        for (var row = 0L; row < tokens.shape[0]; row++)
        {
            json.WriteStartArray();
            for (var i = 0L; i < width; i++)
                json.WriteNumberValue(values[row * width + i]);
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }

    private static void Score(IEntryCriterion criterion, IReadOnlyList<Tensor> weights, IReadOnlyList<string> names, ScoringContext context)
    {
        using var scope = NewDisposeScope();
        for (var i = 0; i < weights.Count; i++)
            criterion.ScoreEntries(weights[i], names[i], context);
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static void Row(string label, string ours, string theirs) => Console.WriteLine($"{label,-40}{ours,20}{theirs,16}");
}
