using System.Diagnostics;
using PruneNotebook.CheckpointProbe;
using PruneNotebook.Core.Optimization;

namespace PruneNotebook.Core.Tests;

/// <summary>Kills a real training process in the middle of writing a checkpoint.</summary>
public sealed class CheckpointCrashTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-crash-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_kill_during_a_checkpoint_write_leaves_the_previous_checkpoint_loadable()
    {
        var path = Path.Combine(_folder, "probe.ckpt");
        var probe = Path.Combine(AppContext.BaseDirectory, "PruneNotebook.CheckpointProbe.dll");
        using var child = Process.Start(new ProcessStartInfo("dotnet", ["exec", probe, path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var epochs = 0;
        var killedMidWrite = false;
        try
        {
            // Once epoch 2 has ended, checkpoint 1 is complete and checkpoint 2 is being written: wait for the
            // temporary file of a write to appear, then kill the process at once.
            var deadline = Stopwatch.StartNew();
            while (epochs < 2 && deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                var line = child.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"the probe exited: {child.StandardError.ReadToEnd()}");
                if (line.StartsWith("epoch ", StringComparison.Ordinal))
                    epochs = int.Parse(line["epoch ".Length..]);
            }
            Assert.True(epochs >= 2, "the probe did not finish two epochs in time");
            while (deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                if (Directory.EnumerateFiles(_folder, ".probe.ckpt.*.tmp").Any(f => new FileInfo(f).Length > 0))
                {
                    child.Kill(entireProcessTree: true);
                    killedMidWrite = true;
                    break;
                }
                Thread.Sleep(1);
            }
        }
        finally
        {
            if (!child.HasExited)
                child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }

        Assert.True(killedMidWrite, "no checkpoint write was caught in progress");
        Assert.NotEmpty(Directory.EnumerateFiles(_folder, ".probe.ckpt.*.tmp"));   // the torn write is left behind, unused
        var info = CheckpointFile.Inspect(path);
        Assert.True(info.EpochsCompleted >= 1);
        Assert.Equal(info.EpochsCompleted, info.History.Epochs.Count);
        using var model = ProbeModel.Create();
        CheckpointFile.LoadWeights(model, path);
        using var data = ProbeModel.Data();
        var history = new Trainer(ProbeModel.Options(path) with { Epochs = info.EpochsCompleted + 1, CheckpointPath = null })
            .Fit(model, data, resumeFrom: path);
        Assert.Equal(info.EpochsCompleted + 1, history.Epochs.Count);
    }
}
