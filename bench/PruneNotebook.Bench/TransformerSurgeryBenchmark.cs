using System.Globalization;
using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Surgery;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Bench;

/// <summary>
/// `transformer-surgery`: forward latency of <see cref="TinyViT"/> (width 64, 4 blocks of 4 heads and 128 MLP units,
/// 49 tokens; batch 64) before and after <see cref="NetworkSurgery.Compress"/> removes half of every block's heads and
/// half of its MLP units (L1), against the MAC reduction, beside PyTorch's figure for the same two architectures
/// (`bench/python/vit_halving.py`). With <c>--epochs E</c> it first trains the dense network E epochs on Fashion-MNIST,
/// then compresses and fine-tunes <c>--finetune-epochs</c>, and reports test accuracy dense, right after surgery and
/// after fine-tuning.
/// </summary>
public static class TransformerSurgeryBenchmark
{
    public static int Run(string[] args)
    {
        var threads = GlobalPruningBenchmark.Option(args, "--threads", 2);
        var repeats = GlobalPruningBenchmark.Option(args, "--repeats", 20);
        var batch = GlobalPruningBenchmark.Option(args, "--batch", 64);
        var epochs = GlobalPruningBenchmark.Option(args, "--epochs", 0);
        var finetune = GlobalPruningBenchmark.Option(args, "--finetune-epochs", 1);
        var examples = GlobalPruningBenchmark.Option(args, "--examples", 0);
        torch.set_num_threads(threads);
        var root = RepositoryRoot.Find();

        using var dense = ViT();
        using var compressed = ViT();
        string? accuracy = null;
        if (epochs > 0)
        {
            using var data = FashionMnist.Load(limit: examples > 0 ? examples : null);
            var trainer = new Trainer(new TrainerOptions(Epochs: epochs, BatchSize: 128, LearningRate: 2e-3, Optimizer: "adamw", Seed: 0));
            trainer.Fit(dense, data.Train);
            compressed.load_state_dict(dense.state_dict());
            var denseAccuracy = Trainer.Evaluate(dense, data.Test).Accuracy;
            Halve(compressed);
            var cut = Trainer.Evaluate(compressed, data.Test).Accuracy;
            new Trainer(new TrainerOptions(Epochs: finetune, BatchSize: 128, LearningRate: 1e-3, Optimizer: "adamw", Seed: 1)).Fit(compressed, data.Train);
            var tuned = Trainer.Evaluate(compressed, data.Test).Accuracy;
            accuracy = string.Create(CultureInfo.InvariantCulture,
                $"test accuracy ({data.Train.Count:N0} training, {data.Test.Count:N0} test images): dense {denseAccuracy:P2} ({epochs} epochs), after surgery {cut:P2}, after {finetune} fine-tuning epoch{(finetune == 1 ? "" : "s")} {tuned:P2} ({(tuned - denseAccuracy) * 100:+0.00;-0.00} points)");
        }
        else
        {
            Halve(compressed);
        }
        var before = NetworkSummary.Create(dense, [1, 1, 28, 28]);
        var after = NetworkSummary.Create(compressed, [1, 1, 28, 28]);
        var macReduction = (double)before.TotalMacs / after.TotalMacs;

        long[] shape = [batch, 1, 28, 28];
        var networks = new (string Name, TinyViT Model)[] { ("dense", dense), ("compressed", compressed) };
        var runs = networks.ToDictionary(n => n.Name, _ => new List<double>());
        foreach (var (_, model) in networks)
            Latency.Measure(model, shape, 1, warmup: 3);
        for (var i = 0; i < repeats; i++)
            foreach (var (name, model) in networks)
                // Alternate single timed passes so that load on the machine hits both networks alike.
                runs[name].Add(Latency.Measure(model, shape, 1, warmup: 0));
        var ours = (Dense: GlobalPruningBenchmark.Median(runs["dense"]), Halved: GlobalPruningBenchmark.Median(runs["compressed"]));

        var peer = PyTorchPeer.RunScript(root, "bench/python/vit_halving.py",
            ["--threads", threads.ToString(CultureInfo.InvariantCulture), "--repeats", repeats.ToString(CultureInfo.InvariantCulture), "--batch", batch.ToString(CultureInfo.InvariantCulture)],
            out var problem);
        (double Dense, double Halved, double Macs)? theirs = peer is { } p
            ? (p.GetProperty("dense_ms").GetDouble(), p.GetProperty("halved_ms").GetDouble(), p.GetProperty("dense_macs").GetDouble() / p.GetProperty("halved_macs").GetDouble())
            : null;

        Console.WriteLine($"TinyViT (width 64, 4 blocks × 4 heads × 128 MLP units, 49 tokens) on 28×28, half of every block's heads and MLP units removed " +
                          $"by NetworkSurgery.Compress (L1); forward, batch {batch}, eval, {threads} threads, median of {repeats} alternating passes");
        Console.WriteLine($"{"",-26}{"ours (TorchSharp)",20}{"PyTorch 1.13",16}");
        Console.WriteLine(new string('-', 62));
        Row("dense forward", $"{ours.Dense:F1} ms", theirs is { } a ? $"{a.Dense:F1} ms" : "n/a");
        Row("compressed forward", $"{ours.Halved:F1} ms", theirs is { } b ? $"{b.Halved:F1} ms" : "n/a");
        Row("MACs dense / compressed", $"{macReduction:F2}×", theirs is { } c ? $"{c.Macs:F2}×" : "n/a");
        Row("measured speedup", $"{ours.Dense / ours.Halved:F2}×", theirs is { } d ? $"{d.Dense / d.Halved:F2}×" : "n/a");
        Row("parameters", $"{before.TotalParameters:N0} → {after.TotalParameters:N0}", "");
        if (accuracy is not null)
            Console.WriteLine(accuracy);
        if (problem is not null)
            Console.WriteLine(problem);
        Console.WriteLine("(target: ≥ 1.5× measured speedup, within 2 points of the dense accuracy after fine-tuning)");
        return 0;
    }

    /// <summary>Half of every block's heads and MLP units, by L1 magnitude; the residual stream keeps its width.</summary>
    internal static SurgeryReport Halve(TinyViT model) =>
        NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5), Heads: PruningAmount.Of(0.5)),
            measurement: new SurgeryMeasurement(LatencyBatch: 64, LatencyRepeats: 1));

    /// <summary>The benchmark's TinyViT, always with the same initial weights.</summary>
    private static TinyViT ViT()
    {
        manual_seed(0);
        return new TinyViT();
    }

    private static void Row(string label, string ours, string theirs) => Console.WriteLine($"{label,-26}{ours,20}{theirs,16}");
}
