using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Sweeps.Tests;

/// <summary>Small trials for the backend tests: a second or so each, except <see cref="Slow"/>.</summary>
internal static class Trials
{
    public static TrialSpec WineCv(double lr, int seed = 0) => new("mlp", new DataSpec("wine"),
        [new CrossValidateStep("mlp", new Dictionary<string, object> { ["lr"] = lr, ["hidden"] = "8", ["epochs"] = 5.0, ["seed"] = (double)seed })],
        Seed: seed, Hidden: [8]);

    /// <summary>LeNet-5 training long enough (seconds) to be caught running.</summary>
    public static TrialSpec Slow(int epochs = 2) => new("lenet5", new DataSpec(DataSpec.FashionMnistName, Limit: 6000),
        [new TrainStep(Epochs: epochs), new EvaluateStep("trained")]);

    public static SweepSpec Sweep(params TrialSpec[] trials) => new("backend test", trials);

    /// <summary>Waits until trial <paramref name="index"/>'s log shows it training and returns the pid of the process running it.</summary>
    public static int WaitUntilTraining(SweepDirectory sweep, int index, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var log = File.Exists(sweep.LogPath(index)) ? ReadShared(sweep.LogPath(index)) : "";
            var header = log.Split('\n').LastOrDefault(l => l.StartsWith("== trial ", StringComparison.Ordinal));
            if (header is not null && log[log.LastIndexOf(header, StringComparison.Ordinal)..].Contains("step 1/", StringComparison.Ordinal))
                return int.Parse(header.Split(" pid ")[1].Split(' ')[0]);
            Thread.Sleep(10);
        }
        throw new TimeoutException($"trial {index} did not start training within {timeout}");
    }

    public static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
