using PruneNotebook.Bench;
using PruneNotebook.Core.Runtime;

// One subcommand per benchmark; add new ones to the switch.
const string Usage = """
    usage: PruneNotebook.Bench <benchmark> [options]

    benchmarks:
      training   LeNet-5 training throughput on Fashion-MNIST: Trainer.Fit vs a bare TorchSharp loop vs PyTorch
                 options: --threads N (default 2)  --examples M (default 60000)  --warmup-batches B (default 50)
                          --repeats R (default 1; measure each contender R times and report the median run)
      pruning    90 % global magnitude pruning of a 16.8 M-weight MLP vs PyTorch's prune.global_unstructured
                 options: --threads N (default 2)  --repeats R (default 3)
      masked-training
                 time per step of pruned vs dense training (LeNet-5, the MLP) in a user's loop and in Trainer.Fit,
                 beside PyTorch's dense and torch.nn.utils.prune steps in the same loop
                 options: --threads N (default 2)  --repeats R (default 3)  --steps S (default 30)
      selection  Lasso paths (100 α) and 5-fold CV on the shipped datasets vs scikit-learn, and a grid search over an
                 MLP with sequential vs 2 parallel trials
                 options: --threads N (default 2)  --repeats R (default 5)
      surgery    forward latency of a VGG-style CNN before and after NetworkSurgery.Compress halves every conv, against the
                 theoretical MAC speedup, beside PyTorch's figure for the same two architectures
                 options: --threads N (default 2)  --repeats R (default 30)  --batch B (default 64)  --round-to K (default 16)
      transformer-surgery
                 forward latency of TinyViT before and after NetworkSurgery.Compress removes half of every block's heads and
                 MLP units, against the MAC reduction, beside PyTorch's figure; --epochs E trains on Fashion-MNIST first,
                 then compresses, fine-tunes and reports test accuracy
                 options: --threads N (default 2)  --repeats R (default 20)  --batch B (default 64)  --epochs E (default 0)
                          --finetune-epochs F (default 1)  --examples M (each split's first M images; default all)
      posttraining
                 CharGpt: magnitude vs Wanda scoring of every Linear weight (Wanda's calibration pass apart), SparseGPT at
                 50 % on every Linear layer, beside the papers' code in PyTorch; then CharGpt trained on the fortunes
                 corpus and pruned one-shot at 50 % and 2:4 by magnitude, Wanda and SparseGPT: validation perplexity,
                 beside the papers' code pruning the same trained weights
                 options: --threads N (default 2)  --repeats R (default 3)  --steps S (training steps; default 1500, 0 skips)
      sweeps     a 12-configuration MLP grid search on wine: sequential vs today's in-process parallel trials vs a local
                 pool of worker processes; the per-trial overhead of a worker process; a 4-trial Slurm array vs the pool
                 options: --workers W (default 2)  --repeats R (default 3)  --threads N (in-process runs; default: cores)
                          --slurm (start eng/slurm-test-cluster.sh if
                          no cluster answers; needs root and Debian's Slurm packages)
      startup    start-up to first output of `prunenotebook summary --model lenet5` (target 1.5 s) beside a C# file-based
                 script doing the same (dotnet run bench/summary.cs)
                 options: --repeats R (default 5)
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

Func<int> benchmark;
try
{
    benchmark = args[0] switch
    {
        "training" => Bind(TrainingBenchmarkOptions.Parse(args[1..]), TrainingThroughputBenchmark.Run),
        "pruning" => Bind(args[1..], GlobalPruningBenchmark.Run),
        "masked-training" => Bind(args[1..], MaskedTrainingBenchmark.Run),
        "selection" => Bind(args[1..], SelectionBenchmark.Run),
        "surgery" => Bind(args[1..], SurgeryBenchmark.Run),
        "transformer-surgery" => Bind(args[1..], TransformerSurgeryBenchmark.Run),
        "sweeps" => Bind(args[1..], SweepBenchmark.Run),
        "startup" => Bind(args[1..], StartupBenchmark.Run),
        "posttraining" => Bind(args[1..], PostTrainingBenchmark.Run),
        _ => throw new ArgumentException($"Unknown benchmark '{args[0]}'."),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    Console.Error.WriteLine(Usage);
    return 2;
}

try
{
    // Every benchmark runs as the extension and the command line do: the bundled libtorch, allocator tuned (and the
    // PyTorch peers get the same allocator settings, see PyTorchPeer).
    AllocatorTuning.Apply();
    TorchNativeLibraries.EnsureLoaded();
    return benchmark();
}
catch (IOException e) // missing data (DirectoryNotFoundException, FileNotFoundException) and the like
{
    Console.Error.WriteLine($"bench: {e.Message}");
    return 1;
}

static Func<int> Bind<T>(T options, Func<T, int> run) => () => run(options);
