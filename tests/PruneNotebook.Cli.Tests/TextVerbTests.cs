using System.Globalization;
using System.Text.Json.Nodes;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using static TorchSharp.torch;

namespace PruneNotebook.Cli.Tests;

/// <summary>train, prune and evaluate with --data fortunes: the figures are those of the Core calls with the same seeds.</summary>
public sealed class TextVerbTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-text-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static JsonNode Result(params string[] args)
    {
        var (code, output, error) = CliRunner.Run(200, [.. args, "--output", "json"]);
        Assert.True(code == 0, error);
        var document = JsonNode.Parse(output)!;
        Assert.Equal(args[0], (string?)document["command"]);
        return document["result"]!;
    }

    [Fact]
    public void Chargpt_trains_prunes_and_evaluates_on_fortunes_as_the_core_calls_do()
    {
        string[] text = ["--data", "fortunes", "--limit", "120", "--context", "16"];
        // Fresh weights from a file: test classes run in parallel, and TorchSharp's global generator is shared.
        var freshFile = Path.Combine(_folder, "fresh.bin");
        var trainedFile = Path.Combine(_folder, "gpt.bin");
        var prunedFile = Path.Combine(_folder, "gpt-wanda.bin");
        using var model = new CharGpt();
        ModelFile.Save(model, freshFile);
        var trained = Result(["train", "--model", "chargpt", "--weights", freshFile, .. text, "--steps", "5", "--batch-size", "4", "--seed", "2", "--save", trainedFile]);
        var evaluated = Result(["evaluate", "--model", "chargpt", "--weights", trainedFile, .. text]);
        var pruned = Result(["prune", "--model", "chargpt", "--weights", trainedFile, .. text, "--criterion", "wanda", "--amount", "0.5", "--samples", "8",
            "--evaluate", "--save", prunedFile]);
        var prunedEvaluated = Result(["evaluate", "--model", "chargpt", "--weights", prunedFile, .. text]);

        // The same work as Core calls on the same weights: batches drawn with --seed, calibrated on every 15th of the 120 windows.
        using var corpus = FortunesCorpus.Load(length: 16, maxTrainWindows: 120, maxValidationWindows: 120);
        var losses = LanguageModelTraining.Train(model, corpus.Train, steps: 5, batchSize: 4, learningRate: 3e-3, seed: 2);
        var dense = LanguageModelTraining.Evaluate(model, corpus.Validation);
        using var calibration = corpus.Train.Subset(arange(0, 120, 15));
        Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Parse("0.5"), new WandaCriterion(samples: 8), data: calibration);
        var sparse = LanguageModelTraining.Evaluate(model, corpus.Validation);

        Assert.Equal(5, (int)trained["history"]!["steps"]!);
        Assert.Equal(losses, trained["history"]!["losses"]!.AsArray().Select(l => (double)l!));
        Assert.Equal(dense.Perplexity, (double)trained["validation"]!["perplexity"]!, 10);
        Assert.Equal(dense.Perplexity, (double)evaluated["perplexity"]!, 10);
        Assert.Equal(dense.BitsPerCharacter, (double)evaluated["bitsPerCharacter"]!, 10);
        Assert.Equal(120 * 16, (long)evaluated["characters"]!);
        Assert.Equal(dense.Perplexity, (double)pruned["perplexityBefore"]!, 10);
        Assert.Equal(sparse.Perplexity, (double)pruned["perplexityAfter"]!, 10);
        Assert.Equal(sparse.Perplexity, (double)prunedEvaluated["perplexity"]!, 10);
        Assert.NotEqual(dense.Perplexity, sparse.Perplexity);

        // In text mode the training prints a line per tenth of its steps (here each of the 5) with that step's loss.
        var (code, lines, _) = CliRunner.Run(200, ["train", "--model", "chargpt", "--weights", freshFile, .. text, "--steps", "5", "--batch-size", "4", "--seed", "2"]);
        Assert.Equal(0, code);
        for (var step = 1; step <= 5; step++)
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"  step {step}/5: train loss {losses[step - 1]:F4}, lr "), lines);

        // The saved masks are the ones the Core call made.
        using var saved = new CharGpt();
        ModelFile.Load(saved, prunedFile);
        foreach (var target in Pruner.DefaultTargets(model))
            Assert.True(PruningMasks.Get(saved, target)!.eq(PruningMasks.Get(model, target)!).all().item<bool>(), target);
    }

    [Fact]
    public void Summary_of_chargpt_traces_a_window_of_token_indices()
    {
        var summary = Result("summary", "--model", "chargpt");
        using var model = new CharGpt();
        Assert.Equal(model.parameters().Sum(p => p.numel()), (long)summary["totalParameters"]!);
        Assert.Equal(116_576, (long)summary["totalParameters"]!);
        // Per window of 64 characters: the Linear layers (64 × 104,448), the attention products (2 blocks × 2 × 64³) and 5 LayerNorms (5 × 64 × 64).
        Assert.Equal(64 * 104_448 + 2 * 2 * 64 * 64 * 64 + 5 * 64 * 64, (long)summary["totalMacs"]!);
    }
}
