using System.Text.Json.Nodes;
using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Cli.Tests;

public sealed class SweepVerbTests : IDisposable
{
    private const string Spec = """
        {
          "name": "wine grid",
          "trials": [
            { "model": "mlp", "hidden": [8], "data": { "name": "wine" }, "tags": { "lr": "0.01" },
              "steps": [ { "kind": "crossValidate", "recipe": "mlp", "parameters": { "lr": 0.01, "hidden": "8", "epochs": 5 } } ] },
            { "model": "mlp", "hidden": [8], "data": { "name": "wine" }, "tags": { "lr": "0.1" },
              "steps": [ { "kind": "crossValidate", "recipe": "mlp", "parameters": { "lr": 0.1, "hidden": "8", "epochs": 5 } } ] }
          ]
        }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-sweep-cli-").FullName;

    public SweepVerbTests() => File.WriteAllText(SpecFile, Spec);

    private string SpecFile => Path.Combine(_folder, "spec.json");

    private string SweepDir => Path.Combine(_folder, "sweep");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(200, args);

    [Fact]
    public void Sweep_run_runs_every_trial_in_worker_processes_and_status_shows_them()
    {
        var (code, output, error) = Run("sweep", "run", SpecFile, "--dir", SweepDir, "--workers", "2");

        Assert.True(code == 0, error);
        Assert.Contains("wine grid: 2 trials in " + SweepDir + " · local pool (2 workers × 1 thread)", output);
        Assert.Contains("2/2 done · 0 failed · 0 running · 0 queued", output);
        Assert.Contains("cv.mean", output);
        var result = JsonNode.Parse(File.ReadAllText(Path.Combine(SweepDir, "results", "trial-0001.json")))!;
        Assert.Equal("done", (string?)result["status"]);
        Assert.Equal(5, result["foldScores"]!.AsArray().Count);

        (code, output, error) = Run("sweep", "status", SweepDir);
        Assert.True(code == 0, error);
        Assert.Contains("wine grid · 2/2 done", output);
        Assert.Contains("0.1", output);     // the tag column

        (code, output, _) = Run("sweep", "run", SpecFile, "--dir", SweepDir);   // the same sweep again: nothing left to run
        Assert.Equal(0, code);
        Assert.Contains("2/2 done", output);
    }

    [Fact]
    public void Sweep_create_writes_the_directory_and_runs_nothing()
    {
        var (code, output, error) = Run("sweep", "create", SpecFile, "--dir", SweepDir);

        Assert.True(code == 0, error);
        Assert.Contains($"wine grid: 2 trials in 1 wave(s), 2 without a result, in {SweepDir}", output);
        Assert.Contains("wave 0: trials 0..1 (2)", output);
        Assert.True(File.Exists(Path.Combine(SweepDir, "sweep.json")));
        Assert.Empty(Directory.GetFiles(Path.Combine(SweepDir, "results")));
    }

    [Fact]
    public void The_trial_verb_runs_a_trial_in_this_process_and_writes_its_result()
    {
        SweepDirectory.Create(SweepDir, SweepDirectory.ReadSpec(SpecFile));

        var (code, output, error) = Run("trial", SweepDir, "1");

        Assert.True(code == 0, error);
        Assert.Matches(@"trial 1: done in \d+\.\d s", output);
        Assert.True(File.Exists(Path.Combine(SweepDir, "results", "trial-0001.json")));
        Assert.False(File.Exists(Path.Combine(SweepDir, "results", "trial-0000.json")));
    }

    [Theory]
    [InlineData("Unknown backend 'kubernetes': expected local", "--backend", "kubernetes")]
    [InlineData("Workers must be at least 1, got 0", "--workers", "0")]
    [InlineData("Workers must be at least 1, got -2", "--workers", "-2")]
    [InlineData("Retries must be 0 or more, got -1", "--retries", "-1")]
    public void Bad_sweep_options_fail_with_one_line_before_anything_runs(string expected, params string[] extra)
    {
        var (code, _, error) = Run(["sweep", "run", SpecFile, "--dir", SweepDir, .. extra]);
        Assert.Equal(CliApp.UsageError, code);
        Assert.StartsWith("prunenotebook: " + expected, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(SweepDir));
    }

    [Fact]
    public void A_sweep_directory_of_another_sweep_or_version_is_refused_and_its_results_kept()
    {
        var (code, _, error) = Run("sweep", "run", SpecFile, "--dir", SweepDir, "--workers", "1");
        Assert.True(code == 0, error);
        var result = File.ReadAllBytes(Path.Combine(SweepDir, "results", "trial-0000.json"));

        File.WriteAllText(SpecFile, Spec.Replace("\"lr\": 0.1,", "\"lr\": 0.2,"));
        (code, _, error) = Run("sweep", "run", SpecFile, "--dir", SweepDir);
        Assert.Equal(1, code);
        Assert.StartsWith($"prunenotebook: '{SweepDir}' holds another sweep ('wine grid', 2 trials) than this one", error);
        Assert.Single(error.Trim().Split('\n'));

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(SweepDir, "sweep.json")))!;
        json["version"] = "0.0.1";
        File.WriteAllText(Path.Combine(SweepDir, "sweep.json"), json.ToJsonString());
        foreach (var args in new[] { new[] { "sweep", "resume", SweepDir }, ["trial", SweepDir, "0"], ["sweep", "status", SweepDir] })
        {
            (code, _, error) = Run(args);
            Assert.Equal(1, code);
            Assert.StartsWith($"prunenotebook: Sweep '{SweepDir}' was made by PruneNotebook 0.0.1 (format 1) but this is", error);
            Assert.Single(error.Trim().Split('\n'));
        }
        Assert.Equal(result, File.ReadAllBytes(Path.Combine(SweepDir, "results", "trial-0000.json")));
    }

    [Theory]
    [InlineData(CliApp.UsageError, "Give trial indices", "trial", "{dir}")]
    [InlineData(CliApp.UsageError, "Sweep 'wine grid' has trials 0 to 1, not 5", "trial", "{dir}", "5")]
    [InlineData(CliApp.Failure, "is not a sweep directory: it has no sweep.json", "sweep", "resume", "{folder}")]
    [InlineData(CliApp.Failure, "does not exist", "sweep", "status", "{folder}/missing")]
    public void Bad_trial_and_resume_arguments_fail_with_one_line(int exitCode, string expected, params string[] args)
    {
        SweepDirectory.Create(SweepDir, SweepDirectory.ReadSpec(SpecFile));
        var (code, _, error) = Run(args.Select(a => a.Replace("{dir}", SweepDir).Replace("{folder}", _folder)).ToArray());
        Assert.Equal(exitCode, code);
        Assert.Contains(expected, error);
        Assert.StartsWith("prunenotebook: ", error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
