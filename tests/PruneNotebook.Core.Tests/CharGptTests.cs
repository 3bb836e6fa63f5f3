using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>The fortunes corpus, CharGpt and its training and evaluation.</summary>
public class CharGptTests
{
    [Fact]
    public void A_folder_of_binary_files_holds_no_fortunes_even_when_some_bytes_read_as_percent_lines()
    {
        // Like Debian's compressed Fashion-MNIST files: binary, yet with a few "\n%\n" runs by chance (the real ones have 3).
        var folder = Directory.CreateTempSubdirectory("not-fortunes-").FullName;
        try
        {
            var random = new Random(1);
            for (var f = 0; f < 2; f++)
            {
                var bytes = new byte[20_000];
                random.NextBytes(bytes);
                for (var at = 100; at < bytes.Length - 3; at += 3000)
                    "\n%\n"u8.CopyTo(bytes.AsSpan(at));
                File.WriteAllBytes(Path.Combine(folder, $"images-{f}.gz"), bytes);
            }
            Assert.Contains("holds no fortunes", Assert.Throws<InvalidDataException>(() => FortunesCorpus.Load(folder)).Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Pruning_without_named_layers_takes_the_blocks_linear_layers_and_leaves_the_head_dense_unless_named()
    {
        using var model = new CharGpt(context: 8, dim: 16, depth: 2, heads: 2, mlpHidden: 32);
        string[] block = ["attention.inner.query", "attention.inner.key", "attention.inner.value", "attention.inner.output", "mlp.inner.fc1", "mlp.inner.fc2"];
        var blocks = new[] { 0, 1 }.SelectMany(b => block.Select(l => $"blocks.{b}.{l}.weight")).ToList();
        Assert.Equal(blocks, Pruner.DefaultTargets(model));
        Assert.Equal(["head.weight", .. blocks], Pruner.LayerWeights(model));   // registration order: the head first

        var report = Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.5), new MagnitudeCriterion());
        Assert.All(blocks, t => Assert.Equal(0.5, report[t].Sparsity, 3));
        Assert.Null(PruningMasks.Get(model, "head.weight"));
        Assert.Equal(["head.weight"], Pruner.WeightsOf(model, ["head"]));
        Assert.Contains("expected one of head, blocks.0.attention.inner.query,", Assert.Throws<ArgumentException>(() => Pruner.WeightsOf(model, ["blocks.2.mlp"])).Message);
    }

    [Fact]
    public void The_fortunes_corpus_splits_by_document_into_next_token_windows()
    {
        using var corpus = FortunesCorpus.Load(length: 32, maxTrainWindows: 200);
        Assert.Equal(200, corpus.Train.Count);
        Assert.True(corpus.ValidationDocuments * 9 <= corpus.TrainDocuments + 9 && corpus.ValidationDocuments > 1000, $"{corpus.TrainDocuments} / {corpus.ValidationDocuments}");
        Assert.Equal([200L, 32L], corpus.Train.Features.shape);
        Assert.Equal(ScalarType.Int64, corpus.Train.Labels.dtype);
        // Labels are the features shifted by one token.
        Assert.True(corpus.Train.Features[0].narrow(0, 1, 31).eq(corpus.Train.Labels[0].narrow(0, 0, 31)).all().item<bool>());
        Assert.True(corpus.Validation.Features.max().item<long>() < FortunesCorpus.Vocabulary.Length);
        Assert.Equal("Hi!\n", FortunesCorpus.Decode(FortunesCorpus.Encode("Hi!\n")));
        using var again = FortunesCorpus.Load(length: 32, maxTrainWindows: 200);
        Assert.True(again.Validation.Features.eq(corpus.Validation.Features).all().item<bool>());
    }

    [Fact]
    public void CharGpt_is_causal_and_gives_next_token_logits()
    {
        manual_seed(1);
        using var model = new CharGpt(context: 16, dim: 32, depth: 1, heads: 2, mlpHidden: 64);
        model.eval();
        using var tokens = randint(96, [2, 16]);
        using var changed = tokens.clone();
        changed[.., 10] = (changed[.., 10] + 1) % 96;
        using var a = model.call(tokens);
        using var b = model.call(changed);
        Assert.Equal([2L, 16L, 96L], a.shape);
        Assert.True(a.narrow(1, 0, 10).allclose(b.narrow(1, 0, 10), 1e-5, 1e-6));
        Assert.False(a.narrow(1, 10, 1).allclose(b.narrow(1, 10, 1), 1e-5, 1e-6));
        Assert.Contains("chargpt", ModelZoo.Names);
    }

    [Fact]
    public void Training_lowers_validation_perplexity_and_pruned_models_keep_training_masks()
    {
        using var corpus = FortunesCorpus.Load(length: 32, maxTrainWindows: 2000);
        using var validation = corpus.Validation.Subset(arange(0, 64));
        manual_seed(2);
        using var model = new CharGpt(context: 32, dim: 32, depth: 1, heads: 2, mlpHidden: 64);
        var before = LanguageModelTraining.Evaluate(model, validation);
        Assert.InRange(before.Perplexity, 60, 200); // about uniform over 96 characters
        var losses = LanguageModelTraining.Train(model, corpus.Train, steps: 60, batchSize: 16, learningRate: 1e-2);
        var after = LanguageModelTraining.Evaluate(model, validation);
        Assert.True(after.Perplexity < 0.5 * before.Perplexity, $"{before.Perplexity} → {after.Perplexity}");
        Assert.Equal(after.Loss / Math.Log(2), after.BitsPerCharacter, 12);
        Assert.True(losses.TakeLast(10).Average() < losses.Take(10).Average());

        using var calibration = corpus.Train.Subset(arange(0, 16));
        var report = Pruner.SemiStructured(model, Pruner.DefaultTargets(model), new NmSparsity(2, 4), new WandaCriterion(samples: 16), calibration);
        Assert.All(Pruner.DefaultTargets(model), t => Assert.Equal("2:4", report[t].Pattern));
        LanguageModelTraining.Train(model, corpus.Train, steps: 5, batchSize: 8);
        Assert.Equal("2:4", Reports.SparsityReport.Create(model)["blocks.0.mlp.inner.fc1.weight"].Pattern);
    }

    [Fact]
    public void Training_reports_after_every_tenth_of_its_steps_the_mean_loss_since_the_last_report()
    {
        manual_seed(1);
        using var model = new CharGpt(context: 8, dim: 16, depth: 1, heads: 2, mlpHidden: 32);
        using var corpus = FortunesCorpus.Load(length: 8, maxTrainWindows: 64, maxValidationWindows: 8);
        var reports = new ProgressLog();
        var losses = LanguageModelTraining.Train(model, corpus.Train, steps: 25, batchSize: 4, progress: reports);
        Assert.Equal([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 25], reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.Equal(25, r.Steps));
        var previous = 0;
        foreach (var report in reports)
        {
            Assert.Equal(losses.Skip(previous).Take(report.Step - previous).Average(), report.Loss, 5);
            previous = report.Step;
        }
        Assert.True(reports[^1].LearningRate < reports[0].LearningRate);
    }

    /// <summary>Keeps every report, on the training thread (Progress&lt;T&gt; would post them elsewhere).</summary>
    private sealed class ProgressLog : List<Core.Reports.LanguageModelProgress>, IProgress<Core.Reports.LanguageModelProgress>
    {
        public void Report(Core.Reports.LanguageModelProgress value) => Add(value);
    }

    [Fact]
    public void Cancelled_training_stops_before_its_next_step_and_leaves_the_model_in_eval_mode()
    {
        manual_seed(4);
        using var model = new CharGpt(context: 8, dim: 16, depth: 1, heads: 2, mlpHidden: 32);
        using var tokens = randint(96, [20, 9]);
        using var windows = new TensorDataset(tokens.narrow(1, 0, 8), tokens.narrow(1, 1, 8));
        var before = model.parameters().Select(p => p.detach().clone()).ToList();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => LanguageModelTraining.Train(model, windows, steps: 5, batchSize: 4, cancellationToken: cancelled.Token));

        Assert.False(model.training);
        Assert.All(model.parameters().Zip(before), p => Assert.True(p.First.eq(p.Second).all().item<bool>()));
        foreach (var p in before)
            p.Dispose();
    }
}
