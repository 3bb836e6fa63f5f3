using System.Text.Json;

namespace PruneNotebook.Cli.Tests;

public sealed class RunVerbTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("run-verb-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_refused_recipe_exits_with_2_and_one_line_and_writes_nothing()
    {
        var path = Write("bad.yaml", "steps:\n  - model: lenet5\n  - save: out.bin\n  - evaluate\n");
        var report = Path.Combine(_folder, "report.html");
        var (code, output, error) = CliRunner.Run(120, "run", path, "--report", report);
        Assert.Equal(CliApp.UsageError, code);
        Assert.Equal("", output);
        Assert.Equal($"prunenotebook: {path}:4: evaluate: needs data to evaluate on: add a 'data' step before it, e.g. '- data: fashion-mnist'.", error.Trim());
        Assert.Equal(["bad.yaml"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_missing_recipe_file_is_one_line()
    {
        var (code, _, error) = CliRunner.Run(120, "run", Path.Combine(_folder, "none.yaml"));
        Assert.Equal(CliApp.UsageError, code);
        Assert.StartsWith($"prunenotebook: {Path.Combine(_folder, "none.yaml")}: no such recipe file", error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_that_fails_while_running_exits_with_1_after_the_steps_before_it()
    {
        var path = Write("count.yaml", "steps:\n  - model: lenet5\n  - save: before.bin\n  - prune: {amount: 100000, layers: [fc3]}\n  - save: after.bin\n");
        var (code, output, error) = CliRunner.Run(120, "run", path);
        Assert.Equal(CliApp.Failure, code);
        Assert.Contains("save: wrote before.bin", output);
        Assert.StartsWith($"prunenotebook: {path}:4: prune: ", error.Trim(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_folder, "before.bin")));
        Assert.False(File.Exists(Path.Combine(_folder, "after.bin")));
    }

    [Fact]
    public void Json_output_carries_every_step_with_its_record_and_the_report_has_the_charts()
    {
        var path = Write("lenet.yaml", """
            name: small lenet
            steps:
              - model: lenet5
              - data: {name: fashion-mnist, limit: 300}
              - train: {epochs: 1, batch-size: 64}
              - prune: {amount: 0.5, scope: global}
              - evaluate
            """);
        var report = Path.Combine(_folder, "report.html");
        var (code, output, error) = CliRunner.Run(120, "run", path, "--output", "json", "--report", report);
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("run", json.RootElement.GetProperty("command").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("schemaVersion").GetInt32());
        var root = json.RootElement.GetProperty("result");
        Assert.Equal("small lenet", root.GetProperty("name").GetString());
        var steps = root.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["model", "data", "train", "prune", "evaluate"], steps.Select(s => s.GetProperty("kind").GetString()));
        Assert.Equal([3, 4, 5, 6, 7], steps.Select(s => s.GetProperty("line").GetInt32()));
        Assert.Equal("TrainingHistory", steps[2].GetProperty("recordType").GetString());
        Assert.Equal(1, steps[2].GetProperty("record").GetProperty("epochs").GetArrayLength());
        Assert.Equal(0.5, steps[3].GetProperty("record").GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("name").GetString()!.EndsWith(".weight", StringComparison.Ordinal))
            .Sum(p => p.GetProperty("zeros").GetInt64()) / (double)steps[3].GetProperty("record").GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("name").GetString()!.EndsWith(".weight", StringComparison.Ordinal)).Sum(p => p.GetProperty("count").GetInt64()), 3);
        var accuracy = steps[4].GetProperty("record").GetProperty("accuracy").GetDouble();
        var percent = (100 * accuracy).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith($"evaluate: test accuracy {percent} %, loss ", steps[4].GetProperty("text").GetString(), StringComparison.Ordinal);
        var html = File.ReadAllText(report);
        Assert.Contains("<h1>small lenet</h1>", html);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Single(html.Split("define, module, exports").Skip(1));
    }

    [Fact]
    public void Every_sample_recipe_passes_validation()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "PruneNotebook.sln")))
            root = root.Parent!;
        var recipes = Directory.GetFiles(Path.Combine(root.FullName, "samples", "recipes"), "*.yaml");
        Assert.NotEmpty(recipes);
        foreach (var file in recipes)
        {
            var recipe = Core.Recipes.Recipe.Load(file);
            recipe.Validate(new Core.Recipes.RecipeRunOptions { RenderReport = Visualization.RecipeReportHtml.Page });
            Assert.Contains(recipe.Steps, s => s.Kind == "evaluate");
        }
    }
}
