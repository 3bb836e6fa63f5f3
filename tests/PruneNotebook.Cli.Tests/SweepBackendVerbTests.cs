using System.Text.Json.Nodes;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Selection;
using static TorchSharp.torch;

namespace PruneNotebook.Cli.Tests;

/// <summary>search and sensitivity with --backend local --workers N: the trials run in worker processes and give the in-process figures.</summary>
public sealed class SweepBackendVerbTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-backend-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(200, args);

    private static JsonNode Result(params string[] args)
    {
        var (code, output, error) = Run([.. args, "--output", "json"]);
        Assert.True(code == 0, error);
        return JsonNode.Parse(output)!["result"]!;
    }

    [Fact]
    public void Search_with_a_local_backend_runs_each_configuration_as_a_trial_and_scores_as_in_process()
    {
        var directory = Path.Combine(_folder, "search");
        var result = Result("search", "ridge", "--data", "diabetes", "--grid", "alpha=0.01,1,100", "--folds", "3", "--backend", "local", "--workers", "2", "--sweep-dir", directory);

        using var data = TabularDatasets.Diabetes();
        using var expected = new GridSearch(EstimatorRecipes.Factory("ridge"), ParameterGrid.Parse("alpha=0.01,1,100"), new KFold(3)).Fit(data);
        var trials = result["trials"]!.AsArray();
        Assert.Equal(3, trials.Count);
        for (var i = 0; i < 3; i++)
            Assert.Equal(expected.Result.Trials[i].Mean, (double)trials[i]!["mean"]!, 6);
        Assert.Equal(expected.Result.BestIndex, (int)result["bestIndex"]!);
        Assert.EndsWith("local pool (2 workers × 1 thread)", (string?)result["method"]);
        var sweep = SweepDirectory.Open(directory);
        Assert.All(sweep.ReadResults(), r => Assert.Equal(TrialOutcome.Done, r!.Status));
        Assert.Equal(3, sweep.ReadResults().Count);
    }

    [Fact]
    public void Sensitivity_with_a_local_backend_gives_the_accuracies_of_the_in_process_analysis()
    {
        manual_seed(4);
        var weights = Path.Combine(_folder, "lenet5.bin");
        using (var model = new LeNet5())
            ModelFile.Save(model, weights);

        var result = Result("sensitivity", "--model", "lenet5", "--weights", weights, "--amounts", "0.5,0.9", "--layers", "fc1,fc2", "--limit", "200",
            "--backend", "local", "--workers", "2", "--sweep-dir", Path.Combine(_folder, "scan"));

        using var network = new LeNet5();
        ModelFile.Load(network, weights);
        using var fashion = FashionMnist.Load(limit: 200);
        var expected = Sensitivity.Analyze(network, fashion.Test, [0.5, 0.9], Pruner.WeightsOf(network, ["fc1", "fc2"]));
        var curves = result["curves"]!.AsArray();
        Assert.Equal(["fc1.weight", "fc2.weight"], curves.Select(c => (string)c!["parameter"]!));
        for (var i = 0; i < 2; i++)
            Assert.Equal(expected.Curves[i].Accuracies, curves[i]!["accuracies"]!.AsArray().Select(v => (double)v!));
        Assert.Equal(2, SweepDirectory.Open(Path.Combine(_folder, "scan")).ReadResults().Count);
    }

    [Theory]
    [InlineData("Unknown backend 'kubernetes': expected local or slurm", "--backend", "kubernetes")]
    [InlineData("Workers must be at least 1, got 0", "--backend", "local", "--workers", "0")]
    [InlineData("Workers must be at least 1, got -2", "--backend", "local", "--workers", "-2")]
    [InlineData("--workers applies to trials run as a sweep: add --backend local or --backend slurm, or drop --workers.", "--workers", "2")]
    [InlineData("--sweep-dir applies to trials run as a sweep", "--sweep-dir", "somewhere")]
    public void Bad_backend_options_are_one_line_and_exit_code_2_for_both_verbs(string expected, params string[] options)
    {
        foreach (var verb in new[] { new[] { "search", "ridge", "--data", "wine", "--grid", "alpha=1,2" }, ["sensitivity", "--model", "lenet5", "--limit", "50"] })
        {
            var (code, _, error) = Run([.. verb, .. options]);
            Assert.Equal(CliApp.UsageError, code);
            Assert.Contains(expected, error);
            Assert.Single(error.Trim().Split('\n'));
        }
        Assert.Empty(Directory.GetFileSystemEntries(_folder));   // no sweep directory made
    }

    [Fact]
    public void A_worker_given_a_bad_request_or_option_says_so_in_one_line()
    {
        var (code, _, error) = Run("trial", "--serve", "--bogus");
        Assert.Equal(CliApp.UsageError, code);
        Assert.Equal("prunenotebook: Unknown option '--bogus' for trial --serve: expected --attempt N or --threads N.", error.Trim());
        (code, _, error) = Run("trial", "--serve", "--threads", "0");
        Assert.Equal(CliApp.UsageError, code);
        Assert.Equal("prunenotebook: --threads must be at least 1, got 0.", error.Trim());
    }
}
