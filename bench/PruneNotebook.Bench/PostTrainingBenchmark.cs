using System.Diagnostics;
using System.Globalization;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
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
        var targets = Pruner.DefaultTargets(model);
        var runs = new Dictionary<string, List<double>> { ["magnitude"] = [], ["calibration"] = [], ["wanda"] = [], ["sparsegpt"] = [] };
        var magnitude = new MagnitudeCriterion(1);
        var wanda = new WandaCriterion();
        var weights = targets.Select(t => model.named_parameters().Single(p => p.name == t).parameter).ToList();
        for (var i = 0; i < repeats; i++)
        {
            using (var context = new ScoringContext(model, calibration))
            {
                runs["magnitude"].Add(Time(() => Score(magnitude, weights, targets, context)));
                // The first Wanda score runs the calibration pass (kept in the context); the second only scores.
                var first = Time(() => wanda.ScoreEntries(weights[0], targets[0], context).Dispose());
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
        Row("wanda calibration pass (ms)", $"{Ours("calibration") * 1e3:F1}", Theirs("wanda_calibration_s", 1e3));
        Row("sparsegpt 50 %, every Linear (s)", $"{Ours("sparsegpt"):F2}", Theirs("sparsegpt_s"));
        Row("wanda / magnitude scoring", $"{Ours("wanda") / Ours("magnitude"):F2}×",
            peer is { } q ? $"{q.GetProperty("wanda_scoring_s").GetDouble() / q.GetProperty("magnitude_scoring_s").GetDouble():F2}×" : "n/a");
        if (problem is not null)
            Console.WriteLine(problem);
        Console.WriteLine("(target: wanda scoring ≤ 2× magnitude scoring; the calibration pass is a few forward passes, shown apart)");
        return 0;
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
