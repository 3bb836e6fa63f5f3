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
        TorchNativeLibraries.EnsureLoaded();
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
        Console.WriteLine();

        Console.Write("(a) ours: Trainer.Fit ... ");
        var ours = TrainerThroughput.Measure(data, options);
        Console.WriteLine($"{ours.ImagesPerSecond:N0} images/s");
        Console.Write("(b) bare TorchSharp loop ... ");
        var bare = BareLoopThroughput.Measure(data, options);
        Console.WriteLine($"{bare.ImagesPerSecond:N0} images/s");
        Console.Write("(c) PyTorch (/usr/bin/python3) ... ");
        var pytorch = PyTorchPeer.Measure(repoRoot, options, out var pytorchVersion, out var problem);
        Console.WriteLine(pytorch is null ? "unavailable" : $"{pytorch.ImagesPerSecond:N0} images/s");
        Console.WriteLine();

        ResultTable.Print(
            [ours, bare, pytorch],
            ["ours (Trainer.Fit)", "bare TorchSharp", $"PyTorch {pytorchVersion ?? ""}".Trim()],
            [("ours / bare", 0, 1), ("ours / pytorch", 0, 2), ("bare / pytorch", 1, 2)]);
        if (problem is not null)
        {
            Console.WriteLine();
            Console.WriteLine(problem);
        }
        return 0;
    }
}
