using System.Text.Json.Nodes;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Cli.Tests;

/// <summary>compress, trim, fold-bn and drop-layers: the JSON figures are those of the Core call on the same weights.</summary>
public sealed class SurgeryVerbTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-surgery-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(200, args);

    private static JsonNode Result(params string[] args)
    {
        var (code, output, error) = Run([.. args, "--output", "json"]);
        Assert.True(code == 0, error);
        var document = JsonNode.Parse(output)!;
        Assert.Equal(args[0], (string?)document["command"]);
        Assert.Equal(1, (int)document["schemaVersion"]!);
        return document["result"]!;
    }

    /// <summary>Saves a seeded model of the zoo, so that the CLI and the test start from the same weights.</summary>
    private string Saved(string model, int seed)
    {
        manual_seed(seed);
        using var network = ModelZoo.Create(model);
        var path = Path.Combine(_folder, $"{model}-{seed}.bin");
        ModelFile.Save(network, path);
        return path;
    }

    private static nn.Module<Tensor, Tensor> Load(string model, string weights)
    {
        var network = ModelZoo.Create(model);
        ModelFile.Load(network, weights);
        return network;
    }

    [Fact]
    public void Compress_shows_the_parameter_counts_of_the_core_compression_with_the_same_options()
    {
        var weights = Saved("lenet5", 1);
        var result = Result("compress", "--model", "lenet5", "--weights", weights, "--amount", "30%", "--criterion", "l2", "--scope", "global", "--ignore", "fc2");

        using var network = Load("lenet5", weights);
        var expected = NetworkSurgery.Compress(network, CompressionOptions.Parse("30%", "global", "fc2"), Criteria.Create("l2", null, CriterionUse.Groups));
        Assert.Equal(61_706, (long)result["before"]!["parameters"]!);
        Assert.Equal(expected.After.Parameters, (long)result["after"]!["parameters"]!);
        Assert.Equal(expected.After.Macs, (long)result["after"]!["macs"]!);
        Assert.Equal(expected.Layers.Select(l => (l.Name, l.OutputsAfter)),
            result["layers"]!.AsArray().Select(l => ((string)l!["name"]!, (long)l["outputsAfter"]!)));
        Assert.Equal(84, expected.Layers.Single(l => l.Name == "fc2").OutputsAfter);   // --ignore kept it whole
        Assert.Null(result["after"]!["accuracy"]);
    }

    [Fact]
    public void Compress_in_text_shows_the_before_and_after_table_and_local_l1_halves_every_layer()
    {
        var (code, output, error) = Run("compress", "--model", "lenet5", "--amount", "0.5");
        Assert.True(code == 0, error);
        Assert.Contains("compress l1 50 % local", output);
        Assert.Contains("61,706", output);
        Assert.Contains("15,738", output);     // every group at half its units
        Assert.Contains("120 → 60", output);
    }

    [Fact]
    public void Compress_removes_attention_heads_of_a_transformer_as_the_core_call_does()
    {
        var weights = Saved("tinyvit", 2);
        var result = Result("compress", "--model", "tinyvit", "--weights", weights, "--amount", "0.5", "--heads", "0.5");

        using var network = Load("tinyvit", weights);
        var expected = NetworkSurgery.Compress(network, CompressionOptions.Parse("0.5", heads: "0.5"), Criteria.Create("l1", null, CriterionUse.Groups), [1, 1, 28, 28]);
        Assert.Equal(138_890, (long)result["before"]!["parameters"]!);
        Assert.Equal(72_714, (long)result["after"]!["parameters"]!);   // half of every block's heads and MLP units (notebook 07)
        Assert.Equal(expected.After.Parameters, (long)result["after"]!["parameters"]!);
        Assert.Equal(expected.After.Macs, (long)result["after"]!["macs"]!);
        Assert.Equal(expected.Layers.Select(l => (l.Name, l.OutputsAfter)),
            result["layers"]!.AsArray().Select(l => ((string)l!["name"]!, (long)l["outputsAfter"]!)));
    }

    [Fact]
    public void Trim_removes_the_units_structured_pruning_zeroed_in_a_saved_model()
    {
        var pruned = Path.Combine(_folder, "units.bin");
        var (code, _, error) = Run("prune", "--model", "lenet5", "--amount", "2", "--structured", "--layers", "conv1", "--save", pruned);
        Assert.True(code == 0, error);

        var result = Result("trim", "--model", "lenet5", "--weights", pruned);
        using var network = Load("lenet5", pruned);
        var expected = NetworkSurgery.Trim(network);
        Assert.Equal(expected.After.Parameters, (long)result["after"]!["parameters"]!);
        Assert.Equal(61_706 - 2 * (25 + 1) - 2 * 16 * 25, (long)result["after"]!["parameters"]!);   // two filters of conv1 and their inputs of conv2
        var conv1 = result["layers"]!.AsArray().Single(l => (string)l!["name"]! == "conv1")!;
        Assert.Equal(4, (long)conv1["outputsAfter"]!);
    }

    [Fact]
    public void Fold_bn_folds_every_batch_norm_of_resnet20_and_keeps_its_eval_accuracy()
    {
        var weights = Saved("resnet20", 2);
        var result = Result("fold-bn", "--model", "resnet20", "--weights", weights, "--limit", "100", "--evaluate");
        using var network = Load("resnet20", weights);
        using var fashion = FashionMnist.Load(limit: 100);
        var expected = NetworkSurgery.FoldBatchNorm(network, measurement: new SurgeryMeasurement(fashion.Test));
        Assert.Equal(expected.After.Parameters, (long)result["after"]!["parameters"]!);
        Assert.True((long)result["after"]!["parameters"]! < (long)result["before"]!["parameters"]!);
        Assert.Equal(expected.After.Accuracy, (double?)result["after"]!["accuracy"]);
        Assert.Equal((double?)result["before"]!["accuracy"], (double?)result["after"]!["accuracy"]);
    }

    [Fact]
    public void Drop_layers_removes_the_block_the_core_ranking_finds_most_expendable()
    {
        var weights = Saved("resnet20", 3);
        var result = Result("drop-layers", "--model", "resnet20", "--weights", weights, "--count", "1", "--limit", "100");
        using var network = Load("resnet20", weights);
        using var fashion = FashionMnist.Load(limit: 100);
        var expected = NetworkSurgery.DropLayers(network, fashion.Test, 1);
        var candidates = result["candidates"]!.AsArray();
        Assert.Equal(expected.Candidates.Select(c => (c.Name, c.AccuracyWhenBypassed, c.Dropped)),
            candidates.Select(c => ((string)c!["name"]!, (double)c["accuracyWhenBypassed"]!, (bool)c["dropped"]!)));
        Assert.Single(candidates, c => (bool)c!["dropped"]!);
    }

    [Theory]
    [InlineData("--amount: ", "compress", "--model", "lenet5", "--amount", "1.5")]
    [InlineData("The per-layer maximum fraction must be in (0, 1], got 2", "compress", "--model", "lenet5", "--amount", "0.5", "--max-fraction", "2")]
    [InlineData("--round-to 'eight' is not a whole number", "compress", "--model", "lenet5", "--amount", "0.5", "--round-to", "eight")]
    [InlineData("--criterion taylor measures real data", "compress", "--model", "lenet5", "--amount", "0.5", "--criterion", "taylor")]
    [InlineData("--count 'two' is not a whole number", "drop-layers", "--model", "resnet20", "--count", "two")]
    [InlineData("Argument 'yaml' not recognized", "trim", "--model", "lenet5", "--output", "yaml")]
    [InlineData("Option '--amount' is required", "compress", "--model", "lenet5")]
    [InlineData("--heads: ", "compress", "--model", "tinyvit", "--amount", "0", "--heads", "1.5")]
    [InlineData("--heads: ", "compress", "--model", "tinyvit", "--amount", "0", "--heads", "half")]
    public void Usage_errors_are_one_line_and_exit_code_2(string expected, params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.Equal(CliApp.UsageError, code);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Empty(output);
    }

    [Fact]
    public void A_missing_weights_file_is_a_failure_with_exit_code_1()
    {
        var (code, _, error) = Run("trim", "--model", "lenet5", "--weights", Path.Combine(_folder, "missing.bin"));
        Assert.Equal(CliApp.Failure, code);
        Assert.StartsWith("prunenotebook: ", error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
