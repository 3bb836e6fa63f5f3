using PruneNotebook.Core.Data;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Input-feature pruning for networks: rank the inputs by the first Linear layer's column norms or by gradient saliency,
/// keep the best k and rebuild that layer with k inputs (the seed's <c>fc1 = nn.Linear(len(selected_features), …)</c>),
/// copying the kept columns so the network computes the same function on the kept inputs.
/// </summary>
public static class InputPruning
{
    /// <summary>The first Linear layer in registration order, with its qualified name.</summary>
    /// <exception cref="ArgumentException">The model has no Linear layer.</exception>
    public static (string Name, Linear Layer) FirstLinear(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var (name, module) in model.named_modules())
            if (module is Linear linear)
                return (name, linear);
        throw new ArgumentException($"{model.GetType().Name} has no Linear layer whose inputs could be ranked or pruned.", nameof(model));
    }

    /// <summary>‖W[:, j]‖₂ of the first Linear layer's weight (out, in): one importance per input feature.</summary>
    public static double[] WeightNorms(nn.Module model)
    {
        var (_, layer) = FirstLinear(model);
        PruningMasks.Apply(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return layer.weight!.to_type(ScalarType.Float64).square().sum(dim: 0).sqrt().cpu().data<double>().ToArray();
    }

    /// <summary>Gradient saliency: mean over rows of |∂ cross-entropy / ∂ x_j|, one per input feature; the weights are not changed.</summary>
    public static double[] GradientSaliency(nn.Module<Tensor, Tensor> model, TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        // Gradients are needed even when the caller is inside no_grad (autograd.grad would abort the process otherwise).
        using var gradients = enable_grad();
        var wasTraining = model.training;
        model.eval();
        try
        {
            var x = data.Features.detach().clone().requires_grad_(true);
            var loss = nn.functional.cross_entropy(model.call(x), data.Labels());
            var gradient = autograd.grad([loss], [x])[0];
            return gradient.abs().mean([0]).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The top <paramref name="keep"/> inputs by <paramref name="scores"/> (d), as a selection record.</summary>
    /// <exception cref="ArgumentException">keep is not in 1..d or the score count differs from the feature count.</exception>
    public static FeatureSelection Rank(IReadOnlyList<double> scores, TabularDataset data, int keep, string method = "first-layer weight norms")
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(data);
        var d = data.FeatureCount;
        if (scores.Count != d)
            throw new ArgumentException($"Expected {d} scores (one per feature of '{data.Name}'), got {scores.Count}.", nameof(scores));
        if (keep < 1 || keep > d)
            throw new ArgumentException($"Cannot keep {keep} of {d} input features: expected 1 to {d}.", nameof(keep));
        var order = Enumerable.Range(0, d).OrderByDescending(j => scores[j]).ThenBy(j => j).ToArray();
        var ranking = new int[d];
        for (var i = 0; i < d; i++)
            ranking[order[i]] = i < keep ? 1 : i - keep + 2;
        return new FeatureSelection(method, data.Name, data.FeatureNames, scores.ToArray(), method, ranking, order.Take(keep).Order().ToArray());
    }

    /// <summary>
    /// A new <c>Sequential</c> whose first Linear layer takes only the inputs at <paramref name="keep"/> (its weight columns and
    /// bias copied); every other layer is the same module instance as in <paramref name="model"/>.
    /// </summary>
    /// <param name="model">A <c>Sequential</c> whose first child is a Linear layer, e.g. from <see cref="NetworkEstimator.BuildMlp"/>.</param>
    /// <param name="keep">Input columns to keep, in the order the new layer expects them.</param>
    /// <exception cref="ArgumentException">The model is not such a Sequential, or a column is out of range or repeated.</exception>
    public static Sequential Prune(nn.Module<Tensor, Tensor> model, IReadOnlyList<int> keep)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(keep);
        if (model is not Sequential sequential)
            throw new ArgumentException($"Input pruning rebuilds a Sequential, got {model.GetType().Name}: build the network as nn.Sequential(...).", nameof(model));
        var children = sequential.named_children().ToList();
        if (children.Count == 0 || children[0].module is not Linear first)
            throw new ArgumentException("The Sequential's first layer must be a Linear layer to prune its inputs.", nameof(model));
        var inputs = (int)first.in_features;
        if (keep.Count == 0 || keep.Any(j => j < 0 || j >= inputs) || keep.Distinct().Count() != keep.Count)
            throw new ArgumentException($"Columns to keep must be distinct and in 0..{inputs - 1}, got {string.Join(", ", keep)}.", nameof(keep));
        var replacement = nn.Linear(keep.Count, first.out_features, hasBias: first.bias is not null, device: first.weight!.device);
        using (no_grad())
        using (var index = tensor(keep.Select(j => (long)j).ToArray(), device: first.weight.device))
        {
            replacement.weight!.copy_(first.weight.index_select(1, index));
            if (first.bias is not null)
                replacement.bias!.copy_(first.bias);
        }
        var layers = new List<(string, nn.Module<Tensor, Tensor>)> { (children[0].name, replacement) };
        foreach (var (name, module) in children.Skip(1))
            layers.Add((name, module as nn.Module<Tensor, Tensor>
                ?? throw new ArgumentException($"Layer '{name}' ({module.GetType().Name}) does not map a tensor to a tensor.", nameof(model))));
        return nn.Sequential(layers);
    }
}
