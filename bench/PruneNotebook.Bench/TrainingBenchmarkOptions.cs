namespace PruneNotebook.Bench;

/// Options of the <c>training</c> benchmark, shared by all three contenders.
/// With <c>Repeats</c> &gt; 1 each contender is measured that many times and the median run is reported.
public sealed record TrainingBenchmarkOptions(int Threads = 2, int Examples = 60_000, int WarmupBatches = 50, int Repeats = 1)
{
    public const int BatchSize = 128;
    public const double LearningRate = 1e-3;
    public const long Seed = 0;

    public static TrainingBenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new TrainingBenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--threads" => options with { Threads = PositiveInt(name, Value()) },
                "--examples" => options with { Examples = PositiveInt(name, Value()) },
                "--warmup-batches" => options with { WarmupBatches = NonNegativeInt(name, Value()) },
                "--repeats" => options with { Repeats = PositiveInt(name, Value()) },
                _ => throw new ArgumentException($"Unknown option '{name}' for the training benchmark."),
            };
        }
        return options;
    }

    private static int PositiveInt(string name, string text) =>
        int.TryParse(text, out var value) && value > 0 ? value : throw new ArgumentException($"{name} must be a positive integer, got '{text}'.");

    private static int NonNegativeInt(string name, string text) =>
        int.TryParse(text, out var value) && value >= 0 ? value : throw new ArgumentException($"{name} must be zero or a positive integer, got '{text}'.");
}
