using System.Security.Cryptography;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Cli.Tests;

public sealed class CliAppTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(200, args);

    [Fact]
    public void Summary_lists_the_layers_with_parameters_and_macs()
    {
        var (code, output, error) = Run("summary", "--model", "lenet5");
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("conv1", output);
        Assert.Contains("61,706", output);    // parameters of LeNet-5
        Assert.Contains("416,520", output);   // MACs of one 28×28 image
    }

    [Fact]
    public void Train_saves_a_model_that_prune_reads_prunes_and_saves_with_its_masks()
    {
        var trained = Path.Combine(_folder, "lenet5.bin");
        var pruned = Path.Combine(_folder, "lenet5-pruned.bin");
        var (code, output, error) = Run("train", "--model", "lenet5", "--limit", "1000", "--epochs", "2", "--schedule", "step(1,0.5)",
            "--l2", "1e-4", "--save", trained);
        Assert.True(code == 0, error);
        Assert.Contains("epoch 2:", output);
        Assert.Contains("l2(0.0001)", output);
        Assert.Contains("0.0005", output);     // the second epoch's halved rate
        Assert.True(File.Exists(trained));
        var trainedHash = SHA256.HashData(File.ReadAllBytes(trained));

        (code, output, error) = Run("prune", "--model", "lenet5", "--weights", trained, "--amount", "0.9", "--scope", "global", "--evaluate",
            "--limit", "1000", "--save", pruned);
        Assert.True(code == 0, error);
        Assert.Contains("before", output);
        Assert.Equal(trainedHash, SHA256.HashData(File.ReadAllBytes(trained)));   // the input file is left as it was
        using var model = new LeNet5();
        ModelFile.Load(model, pruned);
        Assert.True(PruningMasks.Any(model));
        Assert.Equal(0.9, SparsityReport.Create(model).SparsityOf(Pruner.DefaultTargets(model)), 4);
    }

    [Fact]
    public void Prune_takes_the_same_criteria_and_the_same_local_default_as_the_notebook()
    {
        var local = Path.Combine(_folder, "local.bin");
        var (code, _, error) = Run("prune", "--model", "lenet5", "--amount", "0.5", "--save", local);
        Assert.True(code == 0, error);
        using (var model = new LeNet5())
        {
            ModelFile.Load(model, local);
            var report = SparsityReport.Create(model);
            Assert.All(Pruner.DefaultTargets(model), t => Assert.Equal(Math.Round(0.5 * report[t].Count, MidpointRounding.ToEven), report[t].Zeros));
        }

        var units = Path.Combine(_folder, "units.bin");
        (code, var output, error) = Run("prune", "--model", "lenet5", "--amount", "2", "--structured", "--criterion", "ln", "--n", "inf", "--layers", "conv1", "--save", units);
        Assert.True(code == 0, error);
        Assert.Contains("conv1.weight", output);
        using var pruned = new LeNet5();
        ModelFile.Load(pruned, units);
        Assert.Equal(2, SparsityReport.Create(pruned)["conv1.weight"].DeadUnits);
    }

    [Fact]
    public void Help_lists_every_verb_on_its_own_line()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        foreach (var verb in new[] { "summary", "train", "prune", "evaluate", "compress", "trim", "fold-bn", "drop-layers", "sensitivity", "select-features", "cv", "search", "tradeoff", "sweep" })
            Assert.Matches($"(?m)^  {verb}\\b", output);
    }

    [Fact]
    public void Summary_and_prune_answer_in_json_with_the_core_records()
    {
        var (code, output, error) = Run("summary", "--model", "lenet5", "--output", "json");
        Assert.True(code == 0, error);
        var summary = System.Text.Json.Nodes.JsonNode.Parse(output)!;
        Assert.Equal("summary", (string?)summary["command"]);
        Assert.Equal(61_706, (long)summary["result"]!["totalParameters"]!);
        Assert.Equal(416_520, (long)summary["result"]!["totalMacs"]!);

        (code, output, error) = Run("prune", "--model", "lenet5", "--amount", "0.5", "--layers", "fc1,fc2", "--output", "json");
        Assert.True(code == 0, error);
        var parameters = System.Text.Json.Nodes.JsonNode.Parse(output)!["result"]!["sparsity"]!["parameters"]!.AsArray();
        var fc1 = parameters.Single(p => (string)p!["name"]! == "fc1.weight")!;
        Assert.Equal(24_000, (long)fc1["zeros"]!);                      // half of 120 × 400
        Assert.Equal(0, (long)parameters.Single(p => (string)p!["name"]! == "fc3.weight")!["zeros"]!);
    }

    [Theory]
    [InlineData("Unknown optimizer 'lbfgs'", "train", "--model", "lenet5", "--optimizer", "lbfgs")]
    [InlineData("Learning rate must be a positive number", "train", "--model", "lenet5", "--lr", "-1")]
    [InlineData("--resume needs --checkpoint", "train", "--model", "lenet5", "--resume")]
    [InlineData("Unknown model 'alexnet': expected one of chargpt, lenet300-100, lenet5, resnet20, tinyvit, vgg", "summary", "--model", "alexnet")]
    [InlineData("amount=1.5 should either be a float in the range [0, 1] or a non-negative integer", "prune", "--model", "lenet5", "--amount", "1.5")]
    [InlineData("Option '--model' is required", "summary")]
    [InlineData("Unrecognized command or argument '--method'", "prune", "--model", "lenet5", "--amount", "0.5", "--method", "l1")]
    [InlineData("--dim 1 applies to whole units: add --structured, or drop --dim.", "prune", "--model", "lenet5", "--amount", "0.5", "--dim", "1")]
    [InlineData("--seed applies to --criterion random, not l1: drop --seed, or choose random.", "prune", "--model", "lenet5", "--amount", "0.5", "--seed", "3")]
    [InlineData("--criterion taylor measures real data: pass --data <dataset>.", "prune", "--model", "lenet5", "--amount", "0.5", "--criterion", "taylor")]
    [InlineData("--criterion bn scores whole units, not single weights", "prune", "--model", "lenet5", "--amount", "0.5", "--criterion", "bn")]
    [InlineData("Unknown --criterion 'magic': expected l1, l2, ln, random, taylor, apoz, bn, lamp, wanda or sparsegpt.", "prune", "--model", "lenet5", "--amount", "0.5", "--criterion", "magic")]
    [InlineData("does not exist", "train", "--model", "lenet5", "--save", "/nonexistent-folder/x.bin")]
    public void Bad_input_fails_with_one_line_and_the_usage_exit_code_2(string expected, params string[] args)
    {
        var (code, _, error) = Run(args);
        Assert.Equal(CliApp.UsageError, code);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("prunenotebook: ", error);
    }
}
