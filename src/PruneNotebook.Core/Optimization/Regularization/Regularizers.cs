using PruneNotebook.Core.Pruning;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Regularization;

/// <summary>Chooses the parameters a penalty applies to, and builds a penalty from the <c>#!train --l1/--l2/--group-lasso</c> strengths.</summary>
public static class Regularizers
{
    /// <summary>
    /// The parameters to regularize: with <paramref name="names"/> <c>null</c>, the weight of every Linear and
    /// convolution layer in module order (biases, normalization scales and embeddings excluded); otherwise the named
    /// parameters, in the order given (duplicates once). Select after moving the model to its device: moving replaces
    /// the parameter tensors.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="names">Qualified parameter names such as <c>fc1.weight</c>, <c>features.0.bias</c>, or <c>null</c>.</param>
    /// <returns>The parameters, non-empty.</returns>
    /// <exception cref="ArgumentException">A name is not a parameter of the model (the message lists the model's parameters), the list is empty, or the model has no Linear or convolution weight.</exception>
    public static IReadOnlyList<Parameter> Select(nn.Module model, IEnumerable<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var all = model.named_parameters().ToList();
        var byName = all.ToDictionary(p => p.name, p => p.parameter);
        var wanted = (names ?? Pruner.LayerWeights(model)).Select(n => n.Trim()).Where(n => n.Length > 0).Distinct().ToList();
        if (wanted.Count == 0)
        {
            throw new ArgumentException(names is null
                ? $"{model.GetType().Name} has no Linear or convolution weight to regularize: name the parameters, e.g. {Listing(all)}."
                : $"No parameter named to regularize: expected qualified names such as {Listing(all)}, or null for every Linear and convolution weight.", nameof(names));
        }
        var unknown = wanted.FirstOrDefault(n => !byName.ContainsKey(n));
        if (unknown is not null)
            throw new ArgumentException($"{model.GetType().Name} has no parameter '{unknown}': expected one of {Listing(all)}.", nameof(names));
        return wanted.Select(n => byName[n]).ToList();
    }

    /// <summary>
    /// The penalty for the given strengths, or <c>null</c> when all are zero: L1 alone → <see cref="L1Regularizer"/>(l1);
    /// L2 alone → <see cref="L2Regularizer"/>(l2); both → the equivalent <see cref="ElasticNetRegularizer"/> with
    /// α = l1 + l2 and ρ = l1/(l1 + l2), whose penalty is l1·Σ|w| + (l2/2)·Σw²; a group-lasso strength adds a
    /// <see cref="GroupLassoRegularizer"/> (as a <see cref="SumRegularizer"/> when combined with the others).
    /// </summary>
    /// <param name="l1">L1 strength (≥ 0).</param>
    /// <param name="l2">L2 strength (≥ 0).</param>
    /// <param name="groupLasso">Group-lasso strength (≥ 0).</param>
    /// <exception cref="ArgumentException">A strength is negative or not finite.</exception>
    public static IRegularizer? Create(double l1 = 0, double l2 = 0, double groupLasso = 0)
    {
        Penalties.Strength(l1, nameof(l1), "L1 strength");
        Penalties.Strength(l2, nameof(l2), "L2 strength");
        Penalties.Strength(groupLasso, nameof(groupLasso), "Group lasso strength");
        IRegularizer? elementwise = (l1 > 0, l2 > 0) switch
        {
            (true, true) => new ElasticNetRegularizer(l1 + l2, l1 / (l1 + l2)),
            (true, false) => new L1Regularizer(l1),
            (false, true) => new L2Regularizer(l2),
            _ => null,
        };
        if (groupLasso == 0)
            return elementwise;
        var group = new GroupLassoRegularizer(groupLasso);
        return elementwise is null ? group : new SumRegularizer([elementwise, group]);
    }

    private static string Listing(IReadOnlyList<(string name, Parameter parameter)> parameters)
    {
        const int Shown = 24;
        var names = string.Join(", ", parameters.Take(Shown).Select(p => p.name));
        return parameters.Count > Shown ? $"{names}, … ({parameters.Count} in all)" : names;
    }
}
