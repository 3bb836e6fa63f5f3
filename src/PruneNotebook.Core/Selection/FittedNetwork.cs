using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// A trained classifier network as an <see cref="IFittedModel"/>. Its feature importances are the L2 norms of the first
/// Linear layer's input columns (see <see cref="InputPruning"/>). Owns the network: dispose it to free its weights.
/// </summary>
public sealed class FittedNetwork : IFittedModel, IFeatureImportances, IDisposable
{
    /// <summary>Wraps a trained <paramref name="model"/> (logits (n, classes)).</summary>
    public FittedNetwork(nn.Module<Tensor, Tensor> model, TrainingHistory? history, IReadOnlyList<string> featureNames, string name = "network")
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        History = history;
        FeatureNames = featureNames ?? throw new ArgumentNullException(nameof(featureNames));
        Name = name;
    }

    /// <summary>The trained network.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    /// <summary>Its training history, when it was trained here.</summary>
    public TrainingHistory? History { get; }

    /// <summary>The input features, in column order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>A label.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<double> FeatureImportances => InputPruning.WeightNorms(Model);

    /// <summary>Predicted class indices (n), float32, in eval mode without gradients.</summary>
    public Tensor Predict(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        lock (NetworkEstimator.TorchLock)
            return PredictUnlocked(features);
    }

    private Tensor PredictUnlocked(Tensor features)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var wasTraining = Model.training;
        Model.eval();
        try
        {
            return Model.call(features).argmax(1).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
        }
        finally
        {
            Model.train(wasTraining);
        }
    }

    /// <summary>Accuracy on <paramref name="data"/>.</summary>
    public double Score(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var predictions = Predict(data.Features);
        return Scores.Accuracy(predictions, data.Targets);
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
