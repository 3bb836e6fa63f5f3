using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Recipes;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public sealed class RecipeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recipe-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Loads and validates <paramref name="text"/> and returns the one-line error, checking that nothing was written.</summary>
    private string Refusal(string text, string name = "bad.yaml")
    {
        var path = Write(name, text);
        var before = Directory.GetFiles(_folder).Order().ToList();
        var error = Assert.Throws<RecipeException>(() => Recipe.Load(path).Run());
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(_folder).Order().ToList());
        return error.Message[(path.Length + 1)..];
    }

    [Fact]
    public void A_syntax_error_names_the_file_and_line()
    {
        var message = Refusal("steps:\n  - model: lenet5\n  - prune: {amount: 0.9\n  - save: out.bin\n");
        Assert.Matches(@"^\d+: not valid YAML or JSON: ", message);
        Assert.DoesNotContain("Idx:", message);
    }

    [Fact]
    public void A_prune_step_with_an_n_m_pattern_and_a_compress_step_with_heads_run_as_their_magics_do()
    {
        // What #!prune --n-m 2:4 --show-recipe and #!compress --heads 1 --show-recipe print, replayed.
        nn.Module<Tensor, Tensor>? kept = null;
        Recipe.Load(Write("nm.yaml", "steps:\n  - model: lenet5\n  - prune: {n-m: '2:4', layers: [fc1, fc2]}\n"))
            .Run(new RecipeRunOptions { KeepModel = m => kept = m });
        using (var model = kept!)
            foreach (var name in new[] { "fc1.weight", "fc2.weight" })
            {
                // Exactly 2 of every 4 consecutive inputs of every row are zero.
                using var zeros = PruningMasks.Get(model, name)!.eq(0).reshape(-1, 4).sum(1);
                Assert.True(zeros.eq(2).all().item<bool>(), name);
            }
        Recipe.Load(Write("heads.yaml", "steps:\n  - model: tinyvit\n  - compress: {amount: 0, heads: 1, criterion: l2}\n"))
            .Run(new RecipeRunOptions { KeepModel = m => kept = m });
        using (var vit = (TinyViT)kept!)
        using (var fresh = new TinyViT())
            Assert.Equal(fresh.Blocks.Select(b => b.Attention.Heads - 1), vit.Blocks.Select(b => b.Attention.Heads));
        Assert.Equal("3: prune.samples: expected a number, got a list.",
            Refusal("steps:\n  - model: lenet5\n  - prune: {amount: 0.5, criterion: wanda, samples: [1]}\n"));
        Assert.Equal("3: compress.heads: --heads: amount=-1 should either be a float in the range [0, 1] or a non-negative integer.",
            Refusal("steps:\n  - model: tinyvit\n  - compress: {amount: 0, heads: -1}\n"));
    }

    [Fact]
    public void An_unknown_step_is_refused_with_the_known_ones()
    {
        Assert.Equal("3: prun: unknown step: expected one of model, data, train, prune, compress, trim, drop-layers, fold-bn, evaluate, summary, save, report.",
            Refusal("steps:\n  - model: lenet5\n  - prun: {amount: 0.9}\n  - save: out.bin\n"));
    }

    [Fact]
    public void An_unknown_key_names_the_keys_the_step_takes()
    {
        Assert.Equal("4: prune.method: unknown key: a 'prune' step takes amount, n-m, criterion, scope, structured, dim, n, seed, samples, blocksize, damping, layers.",
            Refusal("steps:\n  - model: lenet5\n  - prune:\n      method: l1\n      amount: 0.9\n  - save: out.bin\n"));
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_its_key_and_line()
    {
        Assert.Equal("5: train.epochs: expected a whole number, got 'four'.",
            Refusal("steps:\n  - model: lenet5\n  - data: fashion-mnist\n  - train:\n      epochs: four\n  - save: out.bin\n"));
        Assert.Equal("3: train.lr: expected a number, got a list.", Refusal("steps:\n  - model: lenet5\n  - train: {lr: [1, 2]}\n"));
    }

    [Fact]
    public void A_step_that_needs_a_model_before_any_is_refused_before_anything_runs()
    {
        Assert.Equal("2: train: needs a model first: add a 'model' step before it, e.g. '- model: lenet5'.",
            Refusal("steps:\n  - train: {epochs: 1}\n  - model: lenet5\n  - save: out.bin\n"));
    }

    [Fact]
    public void A_step_that_needs_data_without_it_is_refused_before_anything_runs()
    {
        Assert.Equal("4: train: needs data to train on: add a 'data' step before it, e.g. '- data: fashion-mnist'.",
            Refusal("steps:\n  - model: lenet5\n  - save: first.bin\n  - train: {epochs: 1}\n"));
        Assert.Equal("3: prune: needs data for criterion taylor to measure on: add a 'data' step before it, e.g. '- data: fashion-mnist'.",
            Refusal("steps:\n  - model: lenet5\n  - prune: {amount: 0.5, criterion: taylor}\n  - save: out.bin\n"));
    }

    [Fact]
    public void A_missing_file_is_refused_with_its_key_and_line()
    {
        var message = Refusal("name: missing\nsteps:\n  - save: out.bin\n  - model:\n      name: lenet5\n      weights: nowhere.bin\n");
        Assert.StartsWith("3: save: needs a model first", message, StringComparison.Ordinal);
        message = Refusal("steps:\n  - model:\n      name: lenet5\n      weights: nowhere.bin\n  - save: out.bin\n");
        Assert.StartsWith("4: model.weights: file 'nowhere.bin' does not exist", message, StringComparison.Ordinal);
        message = Refusal("steps:\n  - model: lenet5\n  - data: {name: fashion-mnist, directory: no-such-folder}\n  - save: out.bin\n");
        Assert.StartsWith("3: data.directory: Fashion-MNIST folder '", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_saved_from_another_architecture_are_refused_and_left_unchanged()
    {
        var weights = Path.Combine(_folder, "mlp.bin");
        using (var mlp = new LeNet300_100())
            ModelFile.Save(mlp, weights);
        var bytes = File.ReadAllBytes(weights);
        var message = Refusal("steps:\n  - model: {name: lenet5, weights: mlp.bin}\n  - save: mlp.bin\n");
        Assert.StartsWith("2: model.weights: 'mlp.bin' does not fit model 'lenet5': ", message, StringComparison.Ordinal);
        Assert.EndsWith("Name the architecture the file was saved from.", message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(weights));
    }

    [Fact]
    public void Core_refusals_point_at_the_option_they_name()
    {
        Assert.Equal("4: prune.dim: --dim 1 applies to whole units: add --structured, or drop --dim.",
            Refusal("steps:\n  - model: lenet5\n  - prune: {amount: 0.9,\n      dim: 1}\n"));
        Assert.Equal("3: prune.amount: --amount: amount=1.5 should either be a float in the range [0, 1] or a non-negative integer.",
            Refusal("steps:\n  - model: lenet5\n  - prune: 1.5\n"));
    }

    [Fact]
    public void Json_recipes_are_read_by_the_same_parser_with_lines()
    {
        var message = Refusal("{\n  \"steps\": [\n    {\"model\": \"lenet5\"},\n    {\"prune\": {\"amount\": 0.9, \"scop\": \"global\"}}\n  ]\n}\n", "bad.json");
        Assert.Equal("4: prune.scop: unknown key: a 'prune' step takes amount, n-m, criterion, scope, structured, dim, n, seed, samples, blocksize, damping, layers.", message);
        var recipe = Recipe.Parse("{\"name\": \"j\", \"steps\": [{\"model\": {\"name\": \"lenet5\", \"seed\": 3}}, {\"prune\": {\"amount\": 0.9, \"scope\": \"global\"}}]}", "ok.json");
        Assert.Equal(["model", "prune"], recipe.Steps.Select(s => s.Kind));
        Assert.Equal(3, ((ModelRecipeStep)recipe.Steps[0]).Seed);
    }

    [Fact]
    public void Each_step_prints_as_a_line_of_yaml_that_reads_back_the_same()
    {
        var recipe = Recipe.Parse("""
            steps:
              - model: lenet5
              - data: {name: fashion-mnist, limit: 100}
              - train: {epochs: 2, lr: 1e-3, schedule: 'step(10,0.1)'}
              - prune: {amount: 90%, scope: global, layers: [conv1, fc1]}
              - evaluate
              - save: "out dir/x.bin"
            """, "r.yaml");
        var lines = recipe.Steps.Select(s => s.ToYaml()).ToList();
        Assert.Equal("- prune: {amount: 90%, scope: global, layers: [conv1, fc1]}", lines[3]);
        Assert.Equal("- evaluate", lines[4]);
        var again = Recipe.Parse("steps:\n" + string.Join("\n", lines.Select(l => "  " + l)), "again.yaml");
        Assert.Equal(lines, again.Steps.Select(s => s.ToYaml()));
        Assert.Equal("- compress: {amount: 0.5, criterion: taylor, ignore: [fc3]}",
            RecipeText.Step("compress", [("amount", "0.5"), ("criterion", "taylor"), ("scope", null), ("ignore", RecipeText.List(["fc3"]))]));
    }

    [Fact]
    public void A_recipe_gives_the_same_figures_as_the_same_calls_in_code()
    {
        // Notebook 02's experiment, shortened: train, prune 90 % globally by magnitude, evaluate, fine-tune, evaluate.
        var path = Write("lenet5-90.yaml", """
            name: LeNet-5 at 90 %
            steps:
              - model: lenet5
              - data: {name: fashion-mnist, limit: 2000}
              - train: {epochs: 1, batch-size: 128, lr: 1e-3, seed: 0}
              - prune: {amount: 0.9, scope: global}
              - evaluate
              - train: {epochs: 1, seed: 1}
              - evaluate
              - save: lenet5-90.bin
            """);
        var finished = new List<RecipeStepResult>();
        var run = Recipe.Load(path).Run(new RecipeRunOptions { StepFinished = finished.Add });
        Assert.Equal(run.Steps, finished);
        Assert.Equal(Enumerable.Range(1, 8), run.Steps.Select(s => s.Index));

        using var data = FashionMnist.Load(limit: 2000);
        manual_seed(0);
        using var model = new LeNet5();
        var training = new TrainerOptions(Epochs: 1, BatchSize: 128, LearningRate: 1e-3, Seed: 0);
        var dense = new Trainer(training).Fit(model, data.Train, data.Test);
        var report = new PruneRequest("0.9") { Scope = "global" }.Run(model, Pruner.DefaultTargets(model));
        var pruned = Trainer.Evaluate(model, data.Test);
        var tuned = new Trainer(training with { Seed = 1 }).Fit(model, data.Train, data.Test);
        var final = Trainer.Evaluate(model, data.Test);

        Assert.Equal(dense.Epochs[^1].TestAccuracy, ((TrainingHistory)run.Steps[2].Record!).Epochs[^1].TestAccuracy);
        Assert.Equal(report.Sparsity, ((SparsityReport)run.Steps[3].Record!).Sparsity);
        Assert.Equal(pruned, run.Steps[4].Record);
        Assert.Equal(tuned.Epochs[^1].TrainLoss, ((TrainingHistory)run.Steps[5].Record!).Epochs[^1].TrainLoss);
        Assert.Equal(final, run.Steps[6].Record);
        Assert.Equal($"evaluate: test accuracy {(100 * final.Accuracy).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)} %, loss {final.Loss.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)} on 2,000 images", run.Steps[6].Text);
        Assert.StartsWith("prune: l1, amount 0.9, global: 90.00 % of the pruned weights are zero", run.Steps[3].Text, StringComparison.Ordinal);

        using var saved = new LeNet5();
        ModelFile.Load(saved, Path.Combine(_folder, "lenet5-90.bin"));
        Assert.Equal(final, Trainer.Evaluate(saved, data.Test));
    }

    [Fact]
    public void A_report_step_needs_a_host_that_renders_reports_and_writes_its_page()
    {
        Assert.Equal("3: report: this host cannot render HTML reports: run the recipe with prunenotebook run or #!recipe.",
            Refusal("steps:\n  - model: lenet5\n  - report: r.html\n"));
        var path = Write("ok.yaml", "steps:\n  - model: lenet5\n  - summary\n  - report: r.html\n");
        var run = Recipe.Load(path).Run(new RecipeRunOptions { RenderReport = (title, results) => $"<h1>{title}</h1>{results.Count} {results[1].Record!.GetType().Name}" });
        Assert.Equal("<h1>ok</h1>2 NetworkSummary", File.ReadAllText(Path.Combine(_folder, "r.html")));
        Assert.Equal("report: wrote r.html", run.Steps[^1].Text);
    }
}
