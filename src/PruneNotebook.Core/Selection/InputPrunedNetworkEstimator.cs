using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Runtime;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// A network whose inputs are pruned: train it with <paramref name="network"/>, rank the inputs by the first Linear layer's
/// column norms, keep the best <paramref name="keep"/>, shrink that layer to them (<see cref="InputPruning.Prune"/>) and
/// fine-tune on the kept columns only. Cross-validates like any estimator, so "the same MLP on fewer inputs" can be compared fairly.
/// </summary>
/// <param name="network">The dense network recipe (a <c>Sequential</c> starting with a Linear layer).</param>
/// <param name="keep">Inputs to keep (≥ 1).</param>
/// <param name="fineTune">Training after pruning; default: the network's options with half its epochs.</param>
public sealed class InputPrunedNetworkEstimator(NetworkEstimator network, int keep, TrainerOptions? fineTune = null) : IEstimator
{
    /// <summary>Inputs kept.</summary>
    public int Keep { get; } = keep;

    /// <inheritdoc />
    public string Name => $"{network.Name} on {Keep} inputs";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object> Parameters => new Dictionary<string, object>(network.Parameters) { ["inputs_kept"] = Keep };

    /// <summary>Trains, prunes the inputs and fine-tunes.</summary>
    /// <exception cref="ArgumentException">keep is not in 1..d, or the network is not a Sequential starting with a Linear layer.</exception>
    public FittedInputPrunedNetwork Fit(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(network);
        if (Keep < 1 || Keep > data.FeatureCount)
            throw new ArgumentException($"Cannot keep {Keep} of {data.FeatureCount} input features: expected 1 to {data.FeatureCount}.", nameof(keep));
        TorchNativeLibraries.EnsureLoaded();
        lock (NetworkEstimator.TorchLock)
            return FitLocked(data);
    }

    private FittedInputPrunedNetwork FitLocked(TabularDataset data)
    {
        var dense = network.Fit(data);
        var columns = InputPruning.Rank(InputPruning.WeightNorms(dense.Model), data, Keep).Selected.ToArray();
        var pruned = InputPruning.Prune(dense.Model, columns);
        // The pruned network shares every layer but the first with the dense one: free only the replaced layer.
        InputPruning.FirstLinear(dense.Model).Layer.Dispose();
        using var kept = data.Columns(columns);
        using var train = kept.ToTensorDataset();
        var options = fineTune ?? network.Options with { Epochs = Math.Max(1, network.Options.Epochs / 2) };
        var history = new Trainer(options).Fit(pruned, train, device: data.Device);
        return new FittedInputPrunedNetwork(new FittedNetwork(pruned, history, kept.FeatureNames, Name), columns, data.FeatureCount);
    }

    IFittedModel IEstimator.Fit(TabularDataset data) => Fit(data);
}

/// <summary>A fitted <see cref="InputPrunedNetworkEstimator"/>: the shrunken network and the input columns it reads.</summary>
public sealed class FittedInputPrunedNetwork(FittedNetwork network, IReadOnlyList<int> columns, int inputs) : IFittedModel, IFeatureImportances, IDisposable
{
    /// <summary>The network on the kept inputs.</summary>
    public FittedNetwork Network { get; } = network;

    /// <summary>The kept input columns (ascending), as indices into the original features.</summary>
    public IReadOnlyList<int> Columns { get; } = columns;

    /// <inheritdoc />
    public IReadOnlyList<double> FeatureImportances
    {
        get
        {
            var all = new double[inputs];
            var kept = Network.FeatureImportances;
            for (var i = 0; i < Columns.Count; i++)
                all[Columns[i]] = kept[i];
            return all;
        }
    }

    /// <summary>Predicted classes (n) for the original features (n, d).</summary>
    public Tensor Predict(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        using var index = tensor(Columns.Select(c => (long)c).ToArray(), device: features.device);
        using var kept = features.index_select(1, index);
        return Network.Predict(kept);
    }

    /// <summary>Accuracy on <paramref name="data"/> (with all original features).</summary>
    public double Score(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var predictions = Predict(data.Features);
        return Scores.Accuracy(predictions, data.Targets);
    }

    /// <inheritdoc />
    public void Dispose() => Network.Dispose();
}
