using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PruneNotebook.Core.Runtime;

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
        var root = RunScript(repoRoot, Script,
        [
            "--threads", options.Threads.ToString(CultureInfo.InvariantCulture),
            "--examples", options.Examples.ToString(CultureInfo.InvariantCulture),
            "--warmup-batches", options.WarmupBatches.ToString(CultureInfo.InvariantCulture),
            "--repeats", options.Repeats.ToString(CultureInfo.InvariantCulture),
        ], out problem);
        if (root is not { } r)
            return null;
        try
        {
            version = r.TryGetProperty("torch_version", out var v) ? v.GetString() : null;
            return new ThroughputResult("PyTorch", r.GetProperty("examples").GetInt64(), r.GetProperty("seconds").GetDouble(), r.GetProperty("test_accuracy").GetDouble());
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            problem = $"PyTorch peer printed an incomplete result ({e.Message}): {r}";
            return null;
        }
    }

    /// Runs <paramref name="script"/> (relative to the repository root) with Debian's python3 and returns the JSON object
    /// on its last line of output, or null with <paramref name="problem"/> saying why there is none (no python3, no
    /// torch — the scripts exit with code 3 —, a failure, or no JSON).
    public static JsonElement? RunScript(string repoRoot, string script, IEnumerable<string> arguments, out string? problem)
    {
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
        // The peer runs with the same allocator settings as this process (AllocatorTuning), so neither side wins by them.
        if (AllocatorTuning.Applied)
        {
            start.Environment["MALLOC_MMAP_THRESHOLD_"] = AllocatorTuning.MmapThresholdBytes.ToString(CultureInfo.InvariantCulture);
            start.Environment["MALLOC_TRIM_THRESHOLD_"] = AllocatorTuning.TrimThresholdBytes.ToString(CultureInfo.InvariantCulture);
        }
        start.ArgumentList.Add(Path.Combine(repoRoot, script));
        foreach (var argument in arguments)
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
            return json.RootElement.Clone();
        }
        catch (JsonException e)
        {
            problem = $"PyTorch peer printed no usable JSON line ({e.Message}): '{line}'";
            return null;
        }
    }

    private static string LastLines(string text, int count) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(count));
}
