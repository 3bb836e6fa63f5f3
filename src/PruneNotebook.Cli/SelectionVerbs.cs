using System.CommandLine;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Hosting;
using PruneNotebook.Core.Selection;
using Spectre.Console;

namespace PruneNotebook.Cli;

/// <summary>
/// <c>select-features</c>, <c>cv</c> and <c>search</c>: <c>#!select-features</c>, <c>#!cv</c> and <c>#!search</c> on tabular data
/// (a shipped dataset by name, or a CSV file with <c>--target</c>), with the magics' option names and defaults.
/// </summary>
internal static class SelectionVerbs
{
    public static IEnumerable<Command> Create(IAnsiConsole console) => [SelectFeatures(console), CrossValidate(console), Search(console)];

    private static Command SelectFeatures(IAnsiConsole console)
    {
        var data = new Argument<string>("data") { Description = $"A shipped dataset ({string.Join(", ", TabularDatasets.Names)}) or a CSV file (with --target)." };
        var target = Target();
        var method = new Option<string?>("--method") { Description = $"{string.Join(", ", FeatureSelectionRecipes.Methods)} (default rfe)." };
        method.CompletionSources.Add([.. FeatureSelectionRecipes.Methods]);
        var k = new Option<string?>("--k") { Description = "Features to keep (default: half for RFE, the nonzero ones for lasso)." };
        var estimator = new Option<string?>("--estimator") { Description = "Estimator recipe (default logistic for classes, linear otherwise)." };
        estimator.CompletionSources.Add([.. EstimatorRecipes.Names]);
        var parameters = Params("Estimator parameters, e.g. \"C=0.1\" or \"alpha=0.5;l1_ratio=0.7\".");
        var seed = new Option<string?>("--seed") { Description = "Seed for permutation importance (default 0)." };
        var output = new OutputOptions();
        var command = new Command("select-features", "Rank and select input features: RFE, RFECV, Lasso / L1 logistic, permutation importance or model importances (#!select-features).")
        {
            data, target, method, k, estimator, parameters, seed,
        };
        output.AddTo(command);
        command.SetAction(parsed =>
        {
            var result = output.Open(parsed, console, "select-features");
            var chosen = OptionValues.Choice("--method", parsed.GetValue(method), "rfe", [.. FeatureSelectionRecipes.Methods]);
            int? keep = string.IsNullOrWhiteSpace(parsed.GetValue(k)) ? null : OptionValues.Integer("--k", parsed.GetValue(k), 0);
            var given = OptionValues.Parameters("--params", parsed.GetValue(parameters));
            var seedValue = OptionValues.Integer("--seed", parsed.GetValue(seed), 0);
            using var rows = LoadTabular(parsed.GetValue(data)!, parsed.GetValue(target));
            var (selection, path) = result.Work("select-features", () => FeatureSelectionRecipes.Run(rows, chosen, keep, parsed.GetValue(estimator), given, seedValue));
            result.Write(Tables.Features(selection));
            result.Line("selected: " + string.Join(", ", selection.SelectedNames));
            result.Finish(new { selection, path }, $"prunenotebook select-features · {selection.Dataset}", path is null ? [selection] : [path, selection]);
            return 0;
        });
        return command;
    }

    private static Command CrossValidate(IAnsiConsole console)
    {
        var estimators = new Argument<string>("estimators") { Description = $"Comma-separated estimator recipes: {string.Join(", ", EstimatorRecipes.Names)}." };
        var data = Data();
        var target = Target();
        var folds = new Option<string?>("--folds") { Description = "Folds (default 5; stratified for class targets)." };
        var shuffle = new Option<bool>("--shuffle") { Description = "Shuffle rows before splitting." };
        var seed = new Option<string?>("--seed") { Description = "Shuffle seed (default 0)." };
        var parameters = Params("Parameters for the recipes, e.g. \"alpha=0.1\".");
        var parallel = new Option<string?>("--parallel") { Description = "Folds fitted at once (default 1)." };
        var output = new OutputOptions();
        var command = new Command("cv", "Cross-validate one or more estimators: fold scores, AIC/BIC, box plots in the report (#!cv).")
        {
            estimators, data, target, folds, shuffle, seed, parameters, parallel,
        };
        output.AddTo(command);
        command.SetAction(parsed =>
        {
            var result = output.Open(parsed, console, "cv");
            var given = OptionValues.Parameters("--params", parsed.GetValue(parameters));
            var names = OptionValues.List(parsed.GetValue(estimators))
                ?? throw new ArgumentException($"Missing estimator: expected one or more of {string.Join(", ", EstimatorRecipes.Names)}, e.g. cv logistic,mlp --data wine.");
            var candidates = names.Select(name => EstimatorRecipes.Create(name, given)).ToList();
            var k = OptionValues.Integer("--folds", parsed.GetValue(folds), 5);
            var shuffleSeed = OptionValues.Integer("--seed", parsed.GetValue(seed), 0);
            var degree = OptionValues.Integer("--parallel", parsed.GetValue(parallel), 1);
            using var rows = LoadTabular(parsed.GetValue(data)!, parsed.GetValue(target));
            var comparison = result.Work("cv", () => CrossValidation.Compare(candidates, rows, CrossValidation.Splitter(rows, k, parsed.GetValue(shuffle), shuffleSeed), parallelism: degree));
            result.Write(Tables.Comparison(comparison));
            result.Finish(comparison, $"prunenotebook cv · {comparison.Title}", comparison);
            return 0;
        });
        return command;
    }

    private static Command Search(IAnsiConsole console)
    {
        var recipe = new Argument<string>("recipe") { Description = $"An estimator recipe: {string.Join(", ", EstimatorRecipes.Names)}." };
        var data = Data();
        var target = Target();
        var grid = new Option<string?>("--grid") { Description = "Grid, e.g. \"lr=1e-3,1e-2;weight_decay=0,1e-4\"." };
        var random = new Option<string?>("--random") { Description = "Random search: number of trials (needs --space)." };
        var space = new Option<string?>("--space") { Description = "Distributions, e.g. \"lr=loguniform(1e-3,1e-1);hidden=choice(16,32,64);epochs=int(10,40)\"." };
        var halving = new Option<string?>("--halving") { Description = "Successive halving over this resource parameter (e.g. epochs), starting from the --grid or --random candidates." };
        var minResource = new Option<string?>("--min-resource") { Description = "First round's budget for --halving (default 1)." };
        var factor = new Option<string?>("--factor") { Description = "Halving factor (default 3)." };
        var folds = new Option<string?>("--folds") { Description = "Folds (default 5; stratified for class targets)." };
        var seed = new Option<string?>("--seed") { Description = "Seed for random draws (default 0)." };
        var parallel = new Option<string?>("--parallel") { Description = "Trials evaluated at once (default 1); networks still train one at a time, so it speeds up linear models only." };
        var output = new OutputOptions();
        var sweep = new SweepOptions(inProcessByDefault: true);
        var command = new Command("search", "Hyperparameter search with cross-validation: grid, random (uniform, loguniform, int, choice) or successive halving (#!search); with --backend, its trials run as worker processes or Slurm array tasks.")
        {
            recipe, data, target, grid, random, space, halving, minResource, factor, folds, seed, parallel,
        };
        foreach (var option in sweep.All)
            command.Add(option);
        output.AddTo(command);
        command.SetAction(parsed =>
        {
            var result = output.Open(parsed, console, "search");
            var request = new SearchRequest
            {
                Grid = parsed.GetValue(grid), Random = parsed.GetValue(random), Space = parsed.GetValue(space), Halving = parsed.GetValue(halving),
                MinResource = parsed.GetValue(minResource), Factor = parsed.GetValue(factor), Folds = parsed.GetValue(folds), Seed = parsed.GetValue(seed),
                Parallel = parsed.GetValue(parallel),
            };
            request.Check();
            var execution = sweep.Execution(parsed);
            var factory = EstimatorRecipes.Factory(parsed.GetValue(recipe)!);
            using var rows = LoadTabular(parsed.GetValue(data)!, parsed.GetValue(target));
            using var outcome = result.Work("search", () => request.Run(factory, rows, execution));
            result.Write(Tables.Search(outcome.Result));
            result.Line($"best: {ParameterGrid.Format(outcome.Result.Best.Parameters)} · {outcome.Result.Metric} {outcome.Result.Best.Mean:F4} ± {outcome.Result.Best.Std:F4}");
            result.Finish(outcome.Result, $"prunenotebook search · {outcome.Result.Dataset}", outcome.Result);
            return 0;
        });
        return command;
    }

    private static Option<string> Data() => new("--data")
    {
        Description = $"A shipped dataset ({string.Join(", ", TabularDatasets.Names)}) or a CSV file (with --target).",
        Required = true,
    };

    private static Option<string?> Target() => new("--target") { Description = "For a CSV file: the target column (default target)." };

    private static Option<string?> Params(string description) => new("--params") { Description = description };

    /// <summary>A shipped dataset by name, or a CSV file with its target column.</summary>
    private static TabularDataset LoadTabular(string name, string? target)
    {
        var key = name.Trim().ToLowerInvariant().Replace('-', '_');
        if (TabularDatasets.Names.Contains(key))
        {
            if (target is not null)
                throw new ArgumentException($"--target applies to CSV files; '{name}' is a shipped dataset with its own target: drop --target.");
            return TabularDatasets.Load(key);
        }
        if (File.Exists(name))
            return TabularCsv.Load(name, target ?? "target");
        throw new ArgumentException($"No shipped dataset or CSV file '{name}': expected one of {string.Join(", ", TabularDatasets.Names)} or the path of a CSV file.");
    }
}
