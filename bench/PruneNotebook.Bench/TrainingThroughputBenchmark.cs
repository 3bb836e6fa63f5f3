using System.Reflection;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Runtime;
using static TorchSharp.torch;

namespace PruneNotebook.Bench;

/// The <c>training</c> benchmark: LeNet-5 on Fashion-MNIST, Adam 1e-3, batch 128, the same thread count
/// everywhere; (a) our Trainer.Fit and (b) a bare TorchSharp loop in this process, (c) PyTorch in a child process.
public static class TrainingThroughputBenchmark
{
    public static int Run(TrainingBenchmarkOptions options)
    {
        var repoRoot = RepositoryRoot.Find();
        // Inter-op threads can only be set before any parallel work starts, so first.
        try { set_num_interop_threads(options.Threads); }
        catch (Exception e) { Console.WriteLine($"note: could not set inter-op threads: {e.Message}"); }
        set_num_threads(options.Threads);

        using var data = FashionMnist.Load(device: CPU);
        var examples = Math.Min(options.Examples, data.Train.Count);
        var torchSharpVersion = typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        Console.WriteLine($"LeNet-5 training throughput on Fashion-MNIST ({data.Directory}): Adam lr {TrainingBenchmarkOptions.LearningRate}, batch {TrainingBenchmarkOptions.BatchSize}, CPU");
        Console.WriteLine($"threads: {get_num_threads()} intra-op / {get_num_interop_threads()} inter-op (TorchSharp {torchSharpVersion}); " +
                          $"warm-up {options.WarmupBatches} batches, then {examples:N0} timed examples ({(examples + TrainingBenchmarkOptions.BatchSize - 1) / TrainingBenchmarkOptions.BatchSize} batches)");
        if (options.Threads > 1)
        {
            var efficiency = ParallelismProbe.Efficiency(options.Threads);
            Console.WriteLine($"host check: {options.Threads} busy threads together each run at {efficiency:P0} of one thread alone" +
                              (efficiency < 0.7
                                  ? $" -> WARNING: this machine does not deliver {options.Threads} cores now (oversubscribed VM?); " +
                                    "figures at this thread count are not meaningful, compare with --threads 1"
                                  : ""));
        }
        Console.WriteLine();

        // The two in-process contenders alternate which goes first, so neither always pays for a cold process.
        var oursRuns = new List<ThroughputResult>();
        var bareRuns = new List<ThroughputResult>();
        for (var run = 0; run < options.Repeats; run++)
        {
            if (run % 2 == 0)
            {
                oursRuns.Add(Measure("(a) ours: Trainer.Fit", () => TrainerThroughput.Measure(data, options)));
                bareRuns.Add(Measure("(b) bare TorchSharp loop", () => BareLoopThroughput.Measure(data, options)));
            }
            else
            {
                bareRuns.Add(Measure("(b) bare TorchSharp loop", () => BareLoopThroughput.Measure(data, options)));
                oursRuns.Add(Measure("(a) ours: Trainer.Fit", () => TrainerThroughput.Measure(data, options)));
            }
        }
        var ours = ThroughputResult.Median(oursRuns);
        var bare = ThroughputResult.Median(bareRuns);
        Console.Write($"(c) PyTorch (/usr/bin/python3{(options.Repeats > 1 ? $", {options.Repeats} runs" : "")}) ... ");
        var pytorch = PyTorchPeer.Measure(repoRoot, options, out var pytorchVersion, out var problem);
        Console.WriteLine(pytorch is null ? "unavailable" : $"{pytorch.ImagesPerSecond:N0} images/s");
        Console.WriteLine();

        if (options.Repeats > 1)
            Console.WriteLine($"median of {options.Repeats} runs each:");
        ResultTable.Print(
            [ours, bare, pytorch],
            ["ours (Trainer.Fit)", "bare TorchSharp", $"PyTorch {pytorchVersion ?? ""}".Trim()],
            [("ours / bare", 0, 1), ("ours / pytorch", 0, 2), ("bare / pytorch", 1, 2)]);
        // Load on a shared machine drifts between rounds; (a) and (b) of one round run back to back, so the overhead is the
        // median of the per-round time ratios rather than the ratio of the medians.
        var overheads = oursRuns.Zip(bareRuns, (o, b) => o.Seconds / o.Examples / (b.Seconds / b.Examples) - 1).Order().ToList();
        Console.WriteLine();
        Console.WriteLine($"trainer overhead over the bare loop (live chart, history, LR record), median of {overheads.Count} back-to-back pairs: " +
                          $"{overheads[(overheads.Count - 1) / 2]:+0.0%;-0.0%} of the bare loop's time (target <= 5%; pairs: {string.Join(", ", overheads.Select(o => o.ToString("+0.0%;-0.0%")))})");
        if (problem is not null)
        {
            Console.WriteLine();
            Console.WriteLine(problem);
        }
        return 0;
    }

    private static ThroughputResult Measure(string label, Func<ThroughputResult> measure)
    {
        Console.Write($"{label} ... ");
        var result = measure();
        Console.WriteLine($"{result.ImagesPerSecond:N0} images/s");
        return result;
    }
}
