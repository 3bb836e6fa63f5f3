using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Recipes;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>Recipes on the fortunes text: CharGpt trained, evaluated and pruned headless, as notebook 07 does it in code.</summary>
public sealed class TextRecipeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("text-recipe-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_text_recipe_gives_the_perplexities_of_the_direct_calls_with_the_same_seeds()
    {
        var run = Recipe.Load(Write("gpt.yaml", """
            name: small chargpt
            steps:
              - model: chargpt
              - data: {name: fortunes, context: 16, limit: 200}
              - evaluate
              - train: {steps: 6, batch-size: 4, seed: 3}
              - evaluate
              - prune: {amount: 0.5, criterion: wanda, samples: 8}
              - evaluate
              - train: {epochs: 1, batch-size: 50, lr: 1e-3}
            """)).Run();
        var evaluations = run.Steps.Select(s => s.Record).OfType<LanguageModelEvaluation>().ToList();
        Assert.Equal(3, evaluations.Count);

        // The same work as calls: notebook 07's code with the recipe's seeds and sizes.
        manual_seed(0);
        using var model = new CharGpt();
        using var corpus = FortunesCorpus.Load(length: 16, maxTrainWindows: 200, maxValidationWindows: 200);
        var fresh = LanguageModelTraining.Evaluate(model, corpus.Validation);
        var losses = LanguageModelTraining.Train(model, corpus.Train, steps: 6, batchSize: 4, learningRate: 3e-3, seed: 3);
        var trained = LanguageModelTraining.Evaluate(model, corpus.Validation);
        // Calibration: 8 windows spread over the 200 (every 25th), as the recipe's prune step takes them.
        using var calibration = corpus.Train.Subset(arange(0, 200, 25));
        var comparison = PerplexityComparison.Measure(model, Pruner.DefaultTargets(model), ["0.5"], ["wanda"], calibration, corpus.Validation);

        Assert.Equal(200 * 16, evaluations[0].Tokens);
        Assert.Equal(fresh.Loss, evaluations[0].Loss, 12);
        Assert.Equal(trained.Loss, evaluations[1].Loss, 12);
        Assert.Equal(trained.Perplexity, comparison.DensePerplexity, 12);
        Assert.Equal(comparison.Of("0.5", "wanda"), evaluations[2].Perplexity, 10);
        Assert.True(evaluations[1].Perplexity < 0.7 * evaluations[0].Perplexity, $"{evaluations[0].Perplexity} → {evaluations[1].Perplexity}");
        Assert.Equal($"evaluate: validation perplexity {evaluations[1].Perplexity:F4}, {evaluations[1].BitsPerCharacter:F4} bits per character on 3,200 characters",
            run.Steps[4].Text);
        var history = Assert.IsType<LanguageModelHistory>(run.Steps[3].Record);
        Assert.Equal(losses, history.Losses);
        Assert.Equal($"train: 6 steps of 4 windows of 16 characters, adamw lr 0.003 (warm-up, cosine), seed 3: train loss {losses[^1]:F4} (mean of the last 1 steps)",
            run.Steps[3].Text);
        // One epoch of 200 windows in batches of 50 is 4 steps.
        Assert.StartsWith("train: 4 steps of 50 windows of 16 characters, adamw lr 0.001", run.Steps[7].Text, StringComparison.Ordinal);
        Assert.Equal("data: fortunes, 200 training and 200 validation windows of 16 characters (13,695 and 1,522 fortunes)", run.Steps[1].Text);
    }

    [Fact]
    public void Training_windows_for_calibration_are_spread_over_the_whole_corpus()
    {
        using var corpus = FortunesCorpus.Load(length: 8, maxTrainWindows: 100, maxValidationWindows: 3);
        Assert.Equal(3, corpus.Validation.Count);
        using var sample = corpus.TrainSample(8);
        using var expected = corpus.Train.Features.index_select(0, tensor(new long[] { 0, 12, 24, 36, 48, 60, 72, 84 }));
        Assert.True(sample.Features.eq(expected).all().item<bool>());
        using var all = corpus.TrainSample(500);
        Assert.Equal(100, all.Count);
    }

    [Fact]
    public void A_text_model_loses_heads_and_mlp_units_as_the_core_compression_does_and_is_evaluated_on_text_afterwards()
    {
        var run = Recipe.Load(Write("heads.yaml", """
            steps:
              - model: chargpt
              - data: {name: fortunes, context: 16, limit: 50}
              - compress: {amount: 0.5, heads: 0.5}
              - evaluate
            """)).Run();
        var report = Assert.IsType<SurgeryReport>(run.Steps[2].Record);
        manual_seed(0);
        using var model = new CharGpt();
        var expected = Surgery.NetworkSurgery.Compress(model, Surgery.CompressionOptions.Parse("0.5", heads: "0.5"), Scoring.Criteria.Create("l1", null, Scoring.CriterionUse.Groups));
        Assert.Equal(116_576, report.Before.Parameters);
        Assert.Equal(expected.After.Parameters, report.After.Parameters);
        Assert.True(report.After.Parameters < 0.75 * report.Before.Parameters, $"{report.After.Parameters}");
        Assert.Null(report.After.Accuracy);   // no accuracy on text: the evaluate step gives the perplexity
        using var corpus = FortunesCorpus.Load(length: 16, maxTrainWindows: 50, maxValidationWindows: 50);
        Assert.Equal(LanguageModelTraining.Evaluate(model, corpus.Validation).Loss, Assert.IsType<LanguageModelEvaluation>(run.Steps[3].Record).Loss, 12);
    }

    [Theory]
    [InlineData("steps:\n  - model: chargpt\n  - data: {name: fashion-mnist, directory: .}\n",
        "3: data.name: model 'chargpt' reads text and the data is Fashion-MNIST images: use '- data: fortunes'.")]
    [InlineData("steps:\n  - data: {name: fortunes, directory: .}\n  - model: lenet5\n",
        "3: model.name: model 'lenet5' classifies images and the data is fortunes text: use '- data: fashion-mnist', or a text model ('- model: chargpt').")]
    [InlineData("steps:\n  - model: chargpt\n  - drop-layers\n",
        "3: drop-layers: works on the image models and Fashion-MNIST, and model 'chargpt' reads text: it ranks layers by the test accuracy left without them; prune a text model's weights instead, e.g. '- prune: {amount: 0.5, criterion: wanda}'.")]
    [InlineData("steps:\n  - model: chargpt\n  - data: {name: fortunes, directory: .}\n  - compress: {amount: 0.5, criterion: taylor}\n",
        "4: compress.criterion: --criterion taylor measures on labelled images; on text use wanda or sparsegpt (calibrated on training windows), or one that needs no data (l1, l2, ln, random, lamp).")]
    [InlineData("steps:\n  - model: lenet5\n  - data: {name: fortunes, directory: .}\n",
        "3: data.name: model 'lenet5' classifies images and the data is fortunes text: use '- data: fashion-mnist', or a text model ('- model: chargpt').")]
    [InlineData("steps:\n  - model: chargpt\n  - data: {name: fortunes, directory: .}\n  - prune: {amount: 0.5, criterion: taylor}\n",
        "4: prune.criterion: --criterion taylor measures on labelled images; on text use wanda or sparsegpt (calibrated on training windows), or one that needs no data (l1, l2, ln, random, lamp).")]
    [InlineData("steps:\n  - model: chargpt\n  - data: {name: fortunes, directory: .}\n  - train: {steps: 10, optimizer: sgd}\n",
        "4: train.optimizer: training on text takes steps or epochs, batch-size, lr and seed (AdamW with warm-up and cosine decay); 'optimizer' is for images: drop it.")]
    [InlineData("steps:\n  - model: lenet5\n  - data: {name: fashion-mnist, directory: .}\n  - train: {steps: 10}\n",
        "4: train.steps: 'steps' counts a language model's steps on fortunes text: on images give 'epochs'.")]
    [InlineData("steps:\n  - model: chargpt\n  - data: {name: fortunes, directory: ., context: 100}\n",
        "3: data.context: windows of 100 characters are longer than model 'chargpt' reads (64): use a 'context' of at most 64 in the data step.")]
    [InlineData("steps:\n  - data: {name: fashion-mnist, context: 16}\n",
        "2: data.context: 'context' is the window length of the fortunes text: drop it for fashion-mnist.")]
    [InlineData("steps:\n  - model: chargpt\n  - data: {name: fortunes, directory: .}\n  - train: {steps: 10, epochs: 2}\n",
        "4: train.steps: give 'steps' or 'epochs', not both.")]
    public void Text_and_image_steps_that_cannot_go_together_are_refused_before_anything_runs(string text, string expected)
    {
        var path = Write("bad.yaml", text);
        var error = Assert.Throws<RecipeException>(() => Recipe.Load(path).Run());
        Assert.Equal($"{path}:{expected}", error.Message);
    }
}
