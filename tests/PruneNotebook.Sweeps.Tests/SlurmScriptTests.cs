using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Sweeps.Tests;

public sealed class SlurmScriptTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-sbatch-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_batch_script_carries_every_resource_as_an_sbatch_line_and_gives_each_task_its_trials()
    {
        var sweep = SweepDirectory.Create(_folder, Trials.Sweep(Trials.WineCv(0.01), Trials.WineCv(0.1), Trials.WineCv(0.2)) with { Name = "wine grid: lr" });
        var options = new SlurmOptions("short", "00:30:00", 4, "8G", ["--account=lab", "--qos=quick"], TrialsPerTask: 2, MaxConcurrent: 3);
        var program = new WorkerProgram("/opt/dotnet/dotnet", ["exec", "/opt/prune notebook/prunenotebook.dll"]);

        var script = SlurmScript.Create(sweep, [[0, 2], [1]], attempt: 2, options, program);

        var lines = script.Split('\n');
        Assert.Equal("#!/bin/bash", lines[0]);
        Assert.Equal(
            ["#SBATCH --job-name=pn-wine-grid--lr", "#SBATCH --array=0-1%3", "#SBATCH --cpus-per-task=4", "#SBATCH --ntasks=1",
             $"#SBATCH --output={sweep.Path}/slurm/slurm-%A_%a.out", "#SBATCH --partition=short", "#SBATCH --time=00:30:00", "#SBATCH --mem=8G",
             "#SBATCH --account=lab", "#SBATCH --qos=quick"],
            lines.Where(l => l.StartsWith("#SBATCH", StringComparison.Ordinal)));
        Assert.Contains("groups=(\n  \"0 2\"\n  \"1\"\n)", script);
        Assert.Contains($"exec '/opt/dotnet/dotnet' 'exec' '/opt/prune notebook/prunenotebook.dll' 'trial' '{sweep.Path}' ${{groups[$SLURM_ARRAY_TASK_ID]}} --attempt 2", script);
    }

    [Fact]
    public void Without_sbatch_on_path_the_backend_says_where_to_run_instead()
    {
        var sweep = SweepDirectory.Create(_folder, Trials.Sweep(Trials.WineCv(0.01)));
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", _folder);
        try
        {
            var e = Assert.Throws<SweepBackendException>(() => SweepRunner.Run(sweep, new SlurmBackend()));
            Assert.Equal("sbatch is not on PATH: run this on a machine of your Slurm cluster (a login node, perhaps after 'module load slurm'), or use --backend local.", e.Message);
            Assert.Null(sweep.ReadResult(0));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }

    [Theory]
    [InlineData("12_3 RUNNING\n12_4 PENDING\n", new[] { 3, 4 }, new[] { "RUNNING", "PENDING" })]
    [InlineData("12_[5-7%2] PENDING\n12_0 COMPLETING\n13_1 RUNNING\n", new[] { 5, 6, 7, 0 }, new[] { "PENDING", "PENDING", "PENDING", "COMPLETING" })]
    [InlineData("", new int[0], new string[0])]
    public void Squeue_lines_become_array_task_states(string squeue, int[] tasks, string[] states)
    {
        var parsed = SlurmBackend.ParseTasks(squeue, "12");
        Assert.Equal(tasks.Zip(states).ToDictionary(p => p.First, p => p.Second), parsed);
    }

    [Theory]
    [InlineData("CPUs per task must be at least 1, got 0", 0, 1, null, null)]
    [InlineData("Trials per task must be at least 1, got 0", 1, 0, null, null)]
    [InlineData("The Slurm time limit '30 min' must be one word", 1, 1, "30 min", null)]
    [InlineData("Extra sbatch option 'account=lab' must be an option such as --account=lab", 1, 1, null, "account=lab")]
    public void Bad_slurm_settings_are_refused_in_one_line(string expected, int cpus, int trialsPerTask, string? time, string? extra)
    {
        var e = Assert.Throws<ArgumentException>(() => new SlurmBackend(new SlurmOptions(Time: time, CpusPerTask: cpus, TrialsPerTask: trialsPerTask, ExtraArguments: extra is null ? null : [extra])));
        Assert.StartsWith(expected, e.Message);
    }
}
