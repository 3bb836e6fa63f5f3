using Microsoft.DotNet.Interactive.CSharp;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Selection;

namespace PruneNotebook.Interactive;

/// <summary>Resolves the selection magics' arguments: data, estimators, recipes and folds, with errors that say what was expected.</summary>
internal static class SelectionVariables
{
    /// <summary>A TabularDataset variable, or a shipped dataset by name (then <c>Owned</c>: the caller disposes it).</summary>
    /// <exception cref="UsageException">Neither.</exception>
    public static (TabularDataset Data, bool Owned) GetData(CSharpKernel csharp, string? name, string example)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new UsageException($"Missing data: expected a C# TabularDataset variable or one of {string.Join(", ", TabularDatasets.Names)}, e.g. {example}.");
        name = name.Trim();
        if (csharp.TryGetValue<object>(name, out var value))
            return value is TabularDataset data ? (data, false)
                : throw new UsageException($"Variable '{name}' is a {value?.GetType().Name ?? "null"}, not a TabularDataset: load one with TabularCsv.Load(path, target) or TabularDatasets.Wine().");
        if (TabularDatasets.Names.Contains(name.ToLowerInvariant().Replace('-', '_')))
            return (TabularDatasets.Load(name), true);
        throw new UsageException($"No C# variable or shipped dataset named '{name}': expected a TabularDataset variable or one of {string.Join(", ", TabularDatasets.Names)}.");
    }

    /// <summary>Comma-separated estimators: IEstimator variables (or lists of them) and recipe names with <paramref name="parameters"/>.</summary>
    public static List<IEstimator> GetEstimators(CSharpKernel csharp, string names, IReadOnlyDictionary<string, object>? parameters, string example)
    {
        var parts = MagicArguments.List(names) ?? throw new UsageException($"Missing estimator: expected a recipe ({string.Join(", ", EstimatorRecipes.Names)}) or an IEstimator variable, e.g. {example}.");
        var estimators = new List<IEstimator>();
        foreach (var part in parts)
        {
            if (csharp.TryGetValue<object>(part, out var value) && (value is IEstimator or IEnumerable<IEstimator> || !IsRecipe(part)))
            {
                switch (value)
                {
                    case IEstimator estimator:
                        estimators.Add(estimator);
                        break;
                    case IEnumerable<IEstimator> many:
                        estimators.AddRange(many);
                        break;
                    default:
                        throw new UsageException($"Variable '{part}' is a {value?.GetType().Name ?? "null"}, not an IEstimator (e.g. new Lasso(0.1) or NetworkEstimator.Mlp([32])).");
                }
            }
            else
            {
                estimators.Add(EstimatorRecipes.Create(part, parameters));
            }
        }
        return estimators;
    }

    /// <summary>A recipe name, or a variable holding a configuration → estimator function.</summary>
    public static Func<IReadOnlyDictionary<string, object>, IEstimator> GetRecipe(CSharpKernel csharp, string name, string example)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new UsageException($"Missing recipe: expected one of {string.Join(", ", EstimatorRecipes.Names)} or a C# Func<IReadOnlyDictionary<string, object>, IEstimator>, e.g. {example}.");
        // A variable of the right type wins; a recipe name still works when a variable of another type shadows it.
        if (csharp.TryGetValue<object>(name.Trim(), out var value) && (value is Func<IReadOnlyDictionary<string, object>, IEstimator> || !IsRecipe(name)))
            return value as Func<IReadOnlyDictionary<string, object>, IEstimator>
                ?? throw new UsageException($"Variable '{name}' is a {value?.GetType().Name ?? "null"}, not a Func<IReadOnlyDictionary<string, object>, IEstimator>.");
        return EstimatorRecipes.Factory(name);
    }

    private static bool IsRecipe(string name) => EstimatorRecipes.Names.Contains(name.Trim().ToLowerInvariant());

    /// <summary>Stratified k-fold for class targets, k-fold otherwise.</summary>
    public static ISplitter Splitter(TabularDataset data, string? folds, bool shuffle, string? seed) =>
        CrossValidation.Splitter(data, MagicArguments.Integer("--folds", folds, 5), shuffle, MagicArguments.Integer("--seed", seed, 0));

    /// <summary>Parses <c>name=value;name=value</c> (numbers as double), or <c>null</c> when empty.</summary>
    public static IReadOnlyDictionary<string, object>? Parameters(string? text) => PruneNotebook.Core.Hosting.OptionValues.Parameters("--params", text);

    /// <summary>Stores <paramref name="value"/> in C# variable <paramref name="name"/> when one is given.</summary>
    public static void Store<T>(CSharpKernel csharp, string? name, T value)
    {
        if (!string.IsNullOrWhiteSpace(name))
            csharp.SetValueAsync(name.Trim(), value!, typeof(T)).GetAwaiter().GetResult();
    }
}
