using System.Text.Json.Nodes;

namespace PruneNotebook.Cli.Tests;

public sealed class TradeoffVerbTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-tradeoff-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(250, args);

    [Fact]
    public void A_tradeoff_study_runs_the_baselines_in_worker_processes_and_prints_mean_and_std_per_point()
    {
        var dir = Path.Combine(_folder, "study");
        var (code, output, error) = Run("tradeoff", "--model", "lenet5", "--limit", "200", "--sparsities", "0.8", "--seeds", "2", "--dense-epochs", "1",
            "--batch-size", "64", "--dir", dir, "--workers", "2");

        Assert.True(code == 0, error);
        Assert.Contains("5/5 done", output);
        Assert.Matches(@"│ l1\s+│\s+0\.8 │\s+2 │\s+4\.\d\d ± 0\.00× │", output);       // 80 % of the weights gone, biases kept: 4.9×
        Assert.Matches(@"│ random\s+│\s+0\.8 │\s+2 │", output);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "tradeoff.json")))!;
        Assert.Equal(2, summary["points"]!.AsArray().Count);
        Assert.Equal(4, summary["trials"]!.AsArray().Count);
        Assert.True(File.Exists(Path.Combine(dir, "dense.bin")));
    }

    [Theory]
    [InlineData("Targets must be fractions in (0, 1)", "--sparsities", "0.5,1.5")]
    [InlineData("--sparsities 'half' is not a comma-separated list of fractions", "--sparsities", "half")]
    [InlineData("--criterion bn scores whole units, not single weights", "--sparsities", "0.5", "--criteria", "bn")]
    [InlineData("--seeds must be at least 1, got 0", "--sparsities", "0.5", "--seeds", "0")]
    [InlineData("Unknown backend 'mpi'", "--sparsities", "0.5", "--backend", "mpi")]
    [InlineData("does not exist", "--sparsities", "0.5", "--weights", "/nonexistent/dense.bin")]
    public void Bad_study_options_fail_with_one_line(string expected, params string[] extra)
    {
        var (code, _, error) = Run(["tradeoff", "--model", "lenet5", "--dir", Path.Combine(_folder, "x"), .. extra]);
        Assert.Equal(CliApp.UsageError, code);
        Assert.StartsWith("prunenotebook: ", error);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(_folder, "x")));
    }
}
