using System.Diagnostics;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;

namespace PruneNotebook.Interactive.Tests;

[Collection(KernelCollection.Name)]
public sealed class RecipeMagicTests : KernelTestBase, IDisposable
{
    /// <summary>Notebook 02's experiment (LeNet-5, 90 % global magnitude pruning, fine-tuning) on a slice of the data.</summary>
    private const string Lenet90 = """
        name: LeNet-5 at 90 % (notebook 02, shortened)
        steps:
          - model: lenet5
          - data: {name: fashion-mnist, limit: 2000}
          - train: {epochs: 1, batch-size: 128, lr: 1e-3, seed: 0}
          - prune: {amount: 0.9, scope: global}
          - evaluate
          - train: {epochs: 1, seed: 1}
          - evaluate
          - save: lenet5-90.bin
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-recipe-magic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private async Task<List<(string MimeType, string Value)>> Displayed(string code)
    {
        var result = await Kernel.SendAsync(new SubmitCode(code));
        var failure = result.Events.OfType<CommandFailed>().FirstOrDefault();
        Assert.True(failure is null, failure?.Message);
        _updated = result.Events.OfType<DisplayedValueUpdated>().SelectMany(d => d.FormattedValues).Where(v => v.MimeType == "text/plain").Select(v => v.Value).ToList();
        return result.Events.OfType<DisplayedValueProduced>().SelectMany(d => d.FormattedValues).Select(v => (v.MimeType, v.Value)).ToList();
    }

    /// <summary>The text of the displays the last <see cref="Displayed"/> cell updated in place, in order.</summary>
    private List<string> _updated = [];

    [Fact]
    public async Task A_recipe_gives_the_same_printed_accuracy_in_the_notebook_and_from_the_command_line()
    {
        var path = Write("lenet5-90.yaml", Lenet90);
        var shown = await Displayed($"#!recipe {path} --model pruned");
        var lines = shown.Where(v => v.MimeType == "text/plain").Select(v => v.Value).ToList();
        var notebook = lines.Where(l => l.StartsWith("evaluate: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, notebook.Count);
        // Each train step (one epoch each) shows its own line.
        Assert.Equal(2, lines.Count(l => l.StartsWith("epoch 1/1: train loss ", StringComparison.Ordinal) && l.Contains(", validation accuracy ", StringComparison.Ordinal)));
        Assert.Contains(shown, v => v.MimeType == "text/html" && v.Value.Contains("Plotly.newPlot", StringComparison.Ordinal)); // the learning curves
        Assert.Contains(lines, l => l.StartsWith("prune: l1, amount 0.9, global: 90.00 % of the pruned weights are zero", StringComparison.Ordinal));
        var pruned = Variable<LeNet5>("pruned");
        Assert.Equal(0.9, SparsityReport(pruned), 3);
        File.Delete(Path.Combine(_folder, "lenet5-90.bin"));

        var commandLine = await CommandLineEvaluations(path);
        Assert.Equal(notebook, commandLine);
        Assert.True(File.Exists(Path.Combine(_folder, "lenet5-90.bin")));
    }

    /// <summary>The <c>evaluate:</c> lines <c>prunenotebook run</c> prints for the recipe at <paramref name="path"/>.</summary>
    private static async Task<List<string>> CommandLineEvaluations(string path)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "prunenotebook.dll"), "run", path })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(600_000), "prunenotebook run did not finish in 10 minutes");
        Assert.True(process.ExitCode == 0, await error);
        return (await output).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("evaluate: ", StringComparison.Ordinal)).ToList();
    }

    [Fact]
    public async Task A_text_recipe_prints_the_same_perplexity_in_the_notebook_and_from_the_command_line()
    {
        var path = Write("gpt.yaml", "name: small chargpt\nsteps:\n  - model: chargpt\n  - data: {name: fortunes, context: 16, limit: 100}\n"
            + "  - train: {steps: 4, batch-size: 4}\n  - prune: {amount: 0.5, criterion: wanda, samples: 8}\n  - evaluate\n");
        var shown = await Displayed($"#!recipe {path} --model gpt");
        var notebook = Assert.Single(shown, v => v.MimeType == "text/plain" && v.Value.StartsWith("evaluate: ", StringComparison.Ordinal)).Value;
        // While it trains: one line, shown after the first step and updated in place after each of the other three.
        Assert.Single(shown, v => v.MimeType == "text/plain" && v.Value.StartsWith("step 1/4: train loss ", StringComparison.Ordinal));
        Assert.Equal(["step 2/4", "step 3/4", "step 4/4"], _updated.Select(u => u[..8]));
        Assert.Contains(shown, v => v.MimeType == "text/html" && v.Value.Contains("bits per character", StringComparison.Ordinal)); // the evaluation's table
        var gpt = Variable<CharGpt>("gpt");
        using (var corpus = Core.Data.FortunesCorpus.Load(length: 16, maxTrainWindows: 100, maxValidationWindows: 100))
            Assert.Equal($"evaluate: validation {Core.Optimization.LanguageModelTraining.Evaluate(gpt, corpus.Validation).Line}", notebook);
        Assert.Equal(0.5, Core.Reports.SparsityReport.Create(gpt)["blocks.0.mlp.inner.fc1.weight"].Sparsity, 6);
        Assert.Equal([notebook], await CommandLineEvaluations(path));
    }

    [Theory]
    [InlineData("steps:\n  - model: lenet5\n  - prune: {amount: 0.9\n  - save: out.bin\n", ": not valid YAML or JSON: ")]
    [InlineData("steps:\n  - model: lenet5\n  - prun: {amount: 0.9}\n  - save: out.bin\n", ":3: prun: unknown step: expected one of model, data,")]
    [InlineData("steps:\n  - model: {name: lenet5, weights: missing.bin}\n  - save: out.bin\n", ":2: model.weights: file 'missing.bin' does not exist")]
    [InlineData("steps:\n  - model: {name: lenet5, weights: mlp.bin}\n  - save: out.bin\n", ":2: model.weights: 'mlp.bin' does not fit model 'lenet5': ")]
    [InlineData("steps:\n  - model: lenet5\n  - save: out.bin\n  - evaluate\n", ":4: evaluate: needs data to evaluate on: add a 'data' step before it")]
    [InlineData("steps:\n  - model: lenet5\n  - data: fashion-mnist\n  - train:\n      epochs: 1\n      lr: fast\n  - save: out.bin\n", ":6: train.lr: expected a number (e.g. 1e-3), got 'fast'.")]
    public async Task A_bad_recipe_is_one_line_with_file_and_line_and_nothing_runs(string text, string expected)
    {
        using (var mlp = new LeNet300_100())
            Core.Persistence.ModelFile.Save(mlp, Path.Combine(_folder, "mlp.bin"));
        var path = Write("bad.yaml", text);
        var files = Directory.GetFiles(_folder).Order().ToList();
        var message = await FailureMessage($"#!recipe {path} --model kept");
        Assert.StartsWith(path + ":", message, StringComparison.Ordinal);
        Assert.Contains(expected, message);
        Assert.Equal(files, Directory.GetFiles(_folder).Order().ToList());
        Assert.False(CSharp.TryGetValue<object>("kept", out _));
    }

    [Fact]
    public async Task Magics_that_change_a_model_print_the_recipe_step_they_ran_which_replays_the_same()
    {
        var prune = await Displayed("#!prune model --amount 90% --scope global --layers conv2,fc1 --show-recipe");
        var step = Assert.Single(prune, v => v.MimeType == "text/plain").Value;
        Assert.Equal("- prune: {amount: 90%, scope: global, layers: [conv2, fc1]}", step);
        var compress = await Displayed("#!compress mlp --amount 0.5 --criterion random --seed 3 --ignore fc2 --round-to 8 --show-recipe");
        Assert.Equal("- compress: {amount: 0.5, criterion: random, seed: 3, round-to: 8, ignore: [fc2]}",
            compress.Last(v => v.MimeType == "text/plain").Value);
        var trim = await Displayed("#!trim model --show-recipe");
        Assert.Equal("- trim", trim.Last(v => v.MimeType == "text/plain").Value);
        // The options added for N:M, the post-training criteria and attention heads are part of the step too.
        var pattern = await Displayed("#!prune mlp --n-m 2:4 --layers fc1 --show-recipe");
        Assert.Equal("- prune: {n-m: '2:4', layers: [fc1]}", pattern.Last(v => v.MimeType == "text/plain").Value);
        var wanda = await Displayed("#!prune mlp --amount 0.5 --criterion wanda --data samples --samples 16 --layers fc2 --show-recipe");
        Assert.Equal("- prune: {amount: 0.5, criterion: wanda, samples: 16, layers: [fc2]}", wanda.Last(v => v.MimeType == "text/plain").Value);
        await Kernel.SendAsync(new SubmitCode("var vit = new PruneNotebook.Core.Models.TinyViT(dim: 16, depth: 2, heads: 4, mlpHidden: 32, patch: 7);"));
        var heads = await Displayed("#!compress vit --amount 0 --heads 1 --normalized-groups --show-recipe");
        Assert.Equal("- compress: {amount: 0, heads: 1, normalized-groups: true}", heads.Last(v => v.MimeType == "text/plain").Value);
        var none = await Displayed("#!prune model --amount 0.1");
        Assert.DoesNotContain(none, v => v.MimeType == "text/plain");

        // The printed lines are a recipe: replayed on the same weights, they give the same model.
        Core.Persistence.ModelFile.Save(new LeNet5(), Path.Combine(_folder, "start.bin"));
        await Kernel.SendAsync(new SubmitCode($"var fresh = new PruneNotebook.Core.Models.LeNet5(); PruneNotebook.Core.Persistence.ModelFile.Load(fresh, @\"{Path.Combine(_folder, "start.bin")}\");"));
        await Displayed("#!prune fresh --amount 90% --scope global --layers conv2,fc1");
        var path = Write("replay.yaml", $"steps:\n  - model: {{name: lenet5, weights: start.bin}}\n  {step}\n  - save: replayed.bin\n");
        await Displayed($"#!recipe {path}");
        using var replayed = new LeNet5();
        Core.Persistence.ModelFile.Load(replayed, Path.Combine(_folder, "replayed.bin"));
        var fresh = Variable<LeNet5>("fresh");
        foreach (var name in new[] { "conv2.weight", "fc1.weight" })
            Assert.True(PruningMasks.Get(fresh, name)!.eq(PruningMasks.Get(replayed, name)!).all().item<bool>(), name);
    }

    private static double SparsityReport(LeNet5 model) =>
        Core.Reports.SparsityReport.Create(model).SparsityOf(Pruner.DefaultTargets(model));
}
