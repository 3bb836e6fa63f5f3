using System.Globalization;
using PruneNotebook.Core.Optimization;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Built-in estimators by name, built from a configuration: the recipes <c>#!cv</c> and <c>#!search</c> accept without any C#.
/// Parameter names follow scikit-learn (<c>alpha</c>, <c>l1_ratio</c>, <c>C</c>, <c>penalty</c>); the MLP takes
/// <c>hidden</c> (<c>64</c> or <c>64-32</c>), <c>lr</c>, <c>epochs</c>, <c>batch_size</c>, <c>weight_decay</c>, <c>optimizer</c>, <c>seed</c>.
/// </summary>
public static class EstimatorRecipes
{
    /// <summary>The recipe names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["logistic", "linear", "ridge", "lasso", "elasticnet", "lassocv", "mlp"];

    /// <summary>The estimator <paramref name="name"/> with <paramref name="parameters"/> (missing ones take their defaults).</summary>
    /// <exception cref="ArgumentException">Unknown recipe, an unknown parameter for it, or a value of the wrong kind.</exception>
    public static IEstimator Create(string name, IReadOnlyDictionary<string, object>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var p = parameters ?? new Dictionary<string, object>();
        var key = name.Trim().ToLowerInvariant();
        string[] known = key switch
        {
            "logistic" => ["C", "penalty", "l1_ratio", "max_iter"],
            "linear" => [],
            "ridge" => ["alpha"],
            "lasso" => ["alpha", "max_iter"],
            "elasticnet" => ["alpha", "l1_ratio", "max_iter"],
            "lassocv" => ["l1_ratio", "n_alphas"],
            "mlp" => ["hidden", "lr", "epochs", "batch_size", "weight_decay", "optimizer", "seed"],
            _ => throw new ArgumentException($"Unknown estimator '{name}': expected one of {string.Join(", ", Names)}, or a C# variable holding an IEstimator.", nameof(name)),
        };
        foreach (var parameter in p.Keys)
            if (!known.Contains(parameter))
                throw new ArgumentException($"Estimator '{key}' has no parameter '{parameter}': expected {(known.Length == 0 ? "none" : string.Join(", ", known))}.", nameof(parameters));
        return key switch
        {
            "logistic" => new LogisticRegression(p.Double("C", 1.0), Penalty(p), p.Double("l1_ratio", 0.5), maxIterations: p.Int("max_iter", 10_000)),
            "linear" => new LinearRegression(),
            "ridge" => new Ridge(p.Double("alpha", 1.0)),
            "lasso" => new Lasso(p.Double("alpha", 1.0), maxIterations: p.Int("max_iter", 1000)),
            "elasticnet" => new ElasticNet(p.Double("alpha", 1.0), p.Double("l1_ratio", 0.5), maxIterations: p.Int("max_iter", 1000)),
            "lassocv" => new ElasticNetCV(p.Double("l1_ratio", 1.0), p.Int("n_alphas", 100)),
            _ => NetworkEstimator.Mlp(Hidden(p), new TrainerOptions(
                    Epochs: p.Int("epochs", 20), BatchSize: p.Int("batch_size", 32), LearningRate: p.Double("lr", 1e-2),
                    Optimizer: p.TryGetValue("optimizer", out var o) ? o.ToString()! : "adam", WeightDecay: p.Double("weight_decay", 0)),
                seed: p.Int("seed", 0)),
        };
    }

    /// <summary>A factory for the searches: <c>configuration =&gt; Create(name, configuration)</c>, with the name checked now.</summary>
    /// <exception cref="ArgumentException">Unknown recipe.</exception>
    public static Func<IReadOnlyDictionary<string, object>, IEstimator> Factory(string name)
    {
        Create(name);
        return new RecipeFactory(name.Trim().ToLowerInvariant()).Create;
    }

    /// <summary>The recipe name behind a factory made by <see cref="Factory"/>, or <c>null</c> for any other delegate (worker processes rebuild estimators by recipe name).</summary>
    internal static string? NameOf(Func<IReadOnlyDictionary<string, object>, IEstimator> factory) => (factory?.Target as RecipeFactory)?.Name;

    private sealed class RecipeFactory(string name)
    {
        public string Name { get; } = name;

        public IEstimator Create(IReadOnlyDictionary<string, object> configuration) => EstimatorRecipes.Create(Name, configuration);
    }

    private static LogisticPenalty Penalty(IReadOnlyDictionary<string, object> p) =>
        !p.TryGetValue("penalty", out var value) ? LogisticPenalty.L2 : value.ToString()!.Trim().ToLowerInvariant() switch
        {
            "l2" => LogisticPenalty.L2,
            "l1" => LogisticPenalty.L1,
            "elasticnet" or "en" => LogisticPenalty.ElasticNet,
            var other => throw new ArgumentException($"Unknown penalty '{other}': expected l2, l1 or elasticnet."),
        };

    private static int[] Hidden(IReadOnlyDictionary<string, object> p) =>
        !p.TryGetValue("hidden", out var value) ? [32]
            : value is string text ? text.Split('-', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(h => int.TryParse(h, NumberStyles.Integer, CultureInfo.InvariantCulture, out var width) ? width
                    : throw new ArgumentException($"hidden '{text}' is not a list of widths such as 64-32."))
                .ToArray()
            : [p.Int("hidden")];
}
