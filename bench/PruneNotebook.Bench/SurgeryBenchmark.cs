using System.Globalization;
using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Surgery;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Bench;

/// <summary>
/// `surgery`: forward latency of a VGG-style CNN (64-64-M-128-128-M-256-256-M on 32×32×3, batch 64) before and after
/// <see cref="NetworkSurgery.Compress"/> halves every convolution's channels, against the theoretical MAC speedup, beside
/// PyTorch's figure for the same two architectures (`bench/python/vgg_halving.py`).
/// </summary>
public static class SurgeryBenchmark
{
    private static readonly int[] Configuration = [64, 64, 0, 128, 128, 0, 256, 256, 0];

    public static int Run(string[] args)
    {
        var threads = GlobalPruningBenchmark.Option(args, "--threads", 2);
        var repeats = GlobalPruningBenchmark.Option(args, "--repeats", 30);
        var batch = GlobalPruningBenchmark.Option(args, "--batch", 64);
        var roundTo = GlobalPruningBenchmark.Option(args, "--round-to", 16);
        torch.set_num_threads(threads);
        var root = RepositoryRoot.Find();

        var quick = new SurgeryMeasurement(LatencyBatch: batch, LatencyRepeats: 1);
        SurgeryReport Halve(VggNet model) => NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5), Ignore: ["fc1"], RoundTo: roundTo), measurement: quick);
        using var dense = Vgg();
        using var halved = Vgg();
        var report = Halve(halved);
        // The same two networks with BatchNorm folded into the convolutions, as NetworkSurgery.FoldBatchNorm leaves them.
        using var denseFolded = Vgg();
        using var halvedFolded = Vgg();
        Halve(halvedFolded);
        var foldedTheoretical = (double)NetworkSurgery.FoldBatchNorm(denseFolded, measurement: quick).After.Macs
                                / NetworkSurgery.FoldBatchNorm(halvedFolded, measurement: quick).After.Macs;

        long[] shape = [batch, 3, 32, 32];
        var networks = new (string Name, VggNet Model)[] { ("dense", dense), ("halved", halved), ("dense folded", denseFolded), ("halved folded", halvedFolded) };
        var runs = new Dictionary<(string Name, bool ChannelsLast), List<double>>();
        foreach (var channelsLast in new[] { false, true })
            foreach (var (name, model) in networks)
            {
                Latency.Measure(model, shape, 1, warmup: 3, channelsLast);
                runs[(name, channelsLast)] = [];
            }
        for (var i = 0; i < repeats; i++)
            foreach (var channelsLast in new[] { false, true })
                foreach (var (name, model) in networks)
                    // Alternate single timed passes so that load on the machine hits every network and layout alike.
                    runs[(name, channelsLast)].Add(Latency.Measure(model, shape, 1, warmup: 0, channelsLast));
        double Ours(string name, bool channelsLast) => GlobalPruningBenchmark.Median(runs[(name, channelsLast)]);
        var ours = (Dense: Ours("dense", false), Halved: Ours("halved", false));
        var oursLast = (Dense: Ours("dense", true), Halved: Ours("halved", true));
        var oursFolded = (Dense: Ours("dense folded", true), Halved: Ours("halved folded", true));
        var theoretical = report.MacReduction;

        var peer = PyTorchPeer.RunScript(root, "bench/python/vgg_halving.py",
            ["--threads", threads.ToString(CultureInfo.InvariantCulture), "--repeats", repeats.ToString(CultureInfo.InvariantCulture), "--batch", batch.ToString(CultureInfo.InvariantCulture)],
            out var problem);
        (double Dense, double Halved, double Theoretical)? theirs = peer is { } p
            ? (p.GetProperty("dense_ms").GetDouble(), p.GetProperty("halved_ms").GetDouble(), p.GetProperty("dense_macs").GetDouble() / p.GetProperty("halved_macs").GetDouble())
            : null;
        (double Dense, double Halved, double Theoretical)? theirsLast = peer is { } q && theirs is { } t
            ? (q.GetProperty("dense_channels_last_ms").GetDouble(), q.GetProperty("halved_channels_last_ms").GetDouble(), t.Theoretical)
            : null;

        Console.WriteLine($"VGG-style CNN {string.Join("-", Configuration.Select(c => c == 0 ? "M" : c.ToString(CultureInfo.InvariantCulture)))} on 32×32×3, " +
                          $"every conv halved by NetworkSurgery.Compress (L1, kept counts rounded to {roundTo}); forward, batch {batch}, eval, {threads} threads, median of {repeats} alternating passes");
        Console.WriteLine($"{"",-26}{"ours (TorchSharp)",20}{"PyTorch 1.13",16}");
        Console.WriteLine(new string('-', 62));
        Row("dense forward", $"{ours.Dense:F1} ms", theirs is { } a ? $"{a.Dense:F1} ms" : "n/a");
        Row("halved forward", $"{ours.Halved:F1} ms", theirs is { } b ? $"{b.Halved:F1} ms" : "n/a");
        Row("MACs dense / halved", $"{theoretical:F2}×", theirs is { } c ? $"{c.Theoretical:F2}×" : "n/a");
        Row("measured speedup", $"{ours.Dense / ours.Halved:F2}×", theirs is { } d ? $"{d.Dense / d.Halved:F2}×" : "n/a");
        Row("speedup / MAC speedup", $"{ours.Dense / ours.Halved / theoretical:F2}", theirs is { } e ? $"{e.Dense / e.Halved / e.Theoretical:F2}" : "n/a");
        Console.WriteLine("channels-last inputs (MemoryLayout.UseChannelsLast, #!compress --channels-last; PyTorch: memory_format=torch.channels_last)");
        Row("dense forward", $"{oursLast.Dense:F1} ms", theirsLast is { } f ? $"{f.Dense:F1} ms" : "n/a");
        Row("halved forward", $"{oursLast.Halved:F1} ms", theirsLast is { } g ? $"{g.Halved:F1} ms" : "n/a");
        Row("speedup / MAC speedup", $"{oursLast.Dense / oursLast.Halved / theoretical:F2}", theirsLast is { } h ? $"{h.Dense / h.Halved / h.Theoretical:F2}" : "n/a");
        Row("  served so vs dense as built", $"{ours.Dense / oursLast.Halved / theoretical:F2}", theirs is { } k && theirsLast is { } l ? $"{k.Dense / l.Halved / k.Theoretical:F2}" : "n/a");
        Console.WriteLine("BatchNorm folded into the convolutions (NetworkSurgery.FoldBatchNorm, #!fold-bn; PyTorch: fuse_conv_bn_eval), channels-last inputs");
        Row("dense forward", $"{oursFolded.Dense:F1} ms", peer is { } m ? $"{m.GetProperty("dense_folded_channels_last_ms").GetDouble():F1} ms" : "n/a");
        Row("halved forward", $"{oursFolded.Halved:F1} ms", peer is { } n ? $"{n.GetProperty("halved_folded_channels_last_ms").GetDouble():F1} ms" : "n/a");
        Row("MACs dense / halved", $"{foldedTheoretical:F2}×", "");
        Row("speedup / MAC speedup", $"{oursFolded.Dense / oursFolded.Halved / foldedTheoretical:F2}",
            peer is { } o ? $"{o.GetProperty("dense_folded_channels_last_ms").GetDouble() / o.GetProperty("halved_folded_channels_last_ms").GetDouble() / foldedTheoretical:F2}" : "n/a");
        Row("  served so vs dense as built", $"{ours.Dense / oursFolded.Halved / theoretical:F2}",
            theirs is { } t2 && peer is { } q2 ? $"{t2.Dense / q2.GetProperty("halved_folded_channels_last_ms").GetDouble() / t2.Theoretical:F2}" : "n/a");
        if (problem is not null)
            Console.WriteLine(problem);
        Console.WriteLine($"(target: ours ≥ 0.90 of the MAC speedup; parameters {report.Before.Parameters:N0} → {report.After.Parameters:N0})");
        return 0;
    }

    /// <summary>The benchmark's VGG, always with the same initial weights.</summary>
    private static VggNet Vgg()
    {
        manual_seed(0);
        return new VggNet(Configuration, inputChannels: 3, imageSize: 32, hidden: 256);
    }

    private static void Row(string label, string ours, string theirs) => Console.WriteLine($"{label,-26}{ours,20}{theirs,16}");
}
