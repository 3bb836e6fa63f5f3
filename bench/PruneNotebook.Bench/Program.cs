using PruneNotebook.Bench;

// One subcommand per benchmark; add new ones to the switch.
const string Usage = """
    usage: PruneNotebook.Bench <benchmark> [options]

    benchmarks:
      training   LeNet-5 training throughput on Fashion-MNIST: Trainer.Fit vs a bare TorchSharp loop vs PyTorch
                 options: --threads N (default 2)  --examples M (default 60000)  --warmup-batches B (default 50)
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

try
{
    return args[0] switch
    {
        "training" => TrainingThroughputBenchmark.Run(TrainingBenchmarkOptions.Parse(args[1..])),
        _ => throw new ArgumentException($"Unknown benchmark '{args[0]}'."),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    Console.Error.WriteLine(Usage);
    return 2;
}
