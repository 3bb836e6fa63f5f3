using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace PruneNotebook.Bench;

/// (c) PyTorch from Debian's python3-torch, run as <c>/usr/bin/python3 bench/python/lenet5_training.py</c>
/// (not the first python on PATH, which may be a pyenv or conda one without torch 1.13).
public static class PyTorchPeer
{
    public const string Python = "/usr/bin/python3";
    public const string Script = "bench/python/lenet5_training.py";

    /// Exit code of the script when <c>import torch</c> fails.
    private const int TorchMissingExitCode = 3;

    /// The peer's result, or null with <paramref name="problem"/> saying why there is none.
    public static ThroughputResult? Measure(string repoRoot, TrainingBenchmarkOptions options, out string? version, out string? problem)
    {
        version = null;
        problem = null;
        if (!File.Exists(Python))
        {
            problem = $"PyTorch peer missing: {Python} does not exist (apt-get install python3-torch).";
            return null;
        }
        var start = new ProcessStartInfo(Python)
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(repoRoot, Script),
                     "--threads", options.Threads.ToString(CultureInfo.InvariantCulture),
                     "--examples", options.Examples.ToString(CultureInfo.InvariantCulture),
                     "--warmup-batches", options.WarmupBatches.ToString(CultureInfo.InvariantCulture),
                     "--repeats", options.Repeats.ToString(CultureInfo.InvariantCulture),
                 })
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode == TorchMissingExitCode)
        {
            problem = $"PyTorch peer missing: {Python} cannot import torch (apt-get install python3-torch).";
            return null;
        }
        if (process.ExitCode != 0)
        {
            problem = $"PyTorch peer failed (exit code {process.ExitCode}): {LastLines(stderr.Result, 5)}";
            return null;
        }
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        try
        {
            using var json = JsonDocument.Parse(line ?? "");
            var root = json.RootElement;
            version = root.TryGetProperty("torch_version", out var v) ? v.GetString() : null;
            var examples = root.GetProperty("examples").GetInt64();
            var seconds = root.GetProperty("seconds").GetDouble();
            return new ThroughputResult("PyTorch", examples, seconds, root.GetProperty("test_accuracy").GetDouble());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            problem = $"PyTorch peer printed no usable JSON line ({e.Message}): '{line}'";
            return null;
        }
    }

    private static string LastLines(string text, int count) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(count));
}
