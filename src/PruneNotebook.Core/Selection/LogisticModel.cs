using PruneNotebook.Core.Data;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// A fitted logistic regression. Two classes: one coefficient row w, P(class 1) = σ(x·w + b). More classes: one row per
/// class, probabilities softmax(x·Wᵀ + b). Immutable; predictions run on the features' device.
/// </summary>
/// <param name="Estimator">Which estimator fitted it, with its hyperparameters.</param>
/// <param name="Coefficients">Rows (1 or k) of (d).</param>
/// <param name="Intercepts">One per row.</param>
/// <param name="ClassNames">The k class names.</param>
/// <param name="FeatureNames">The d feature names.</param>
/// <param name="Iterations">Solver iterations (Newton steps or proximal-gradient steps).</param>
/// <param name="Converged">Whether the solver met its tolerance within its budget.</param>
/// <param name="FitIntercept">Whether the intercepts were estimated.</param>
public sealed record LogisticModel(string Estimator, IReadOnlyList<IReadOnlyList<double>> Coefficients, IReadOnlyList<double> Intercepts,
    IReadOnlyList<string> ClassNames, IReadOnlyList<string> FeatureNames, int Iterations, bool Converged, bool FitIntercept = true)
    : IFittedModel, ICoefficients
{
    /// <inheritdoc />
    public IReadOnlyList<double> FeatureImportances =>
        Enumerable.Range(0, FeatureNames.Count).Select(j => Coefficients.Sum(row => Math.Abs(row[j]))).ToArray();

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<double>> CoefficientRows => Coefficients;

    /// <summary>Class probabilities (n, k), float32, for <paramref name="features"/> (n, d).</summary>
    public Tensor PredictProbabilities(Tensor features)
    {
        using var scope = NewDisposeScope();
        var logits = Logits(features);
        var probabilities = Coefficients.Count == 1
            ? cat([1 - logits.sigmoid(), logits.sigmoid()], 1)
            : logits.softmax(1);
        return probabilities.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Predicted class indices (n), float32 (as dataset targets).</summary>
    public Tensor Predict(Tensor features)
    {
        using var scope = NewDisposeScope();
        var logits = Logits(features);
        var classes = Coefficients.Count == 1 ? logits.squeeze(1).gt(0) : logits.argmax(1);
        return classes.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Accuracy on <paramref name="data"/>.</summary>
    public double Score(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var predictions = Predict(data.Features);
        return Scores.Accuracy(predictions, data.Targets);
    }

    /// <summary>The mean log-loss (cross-entropy) on <paramref name="data"/>.</summary>
    public double LogLoss(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        return -LogLikelihood(data) / data.Count;
    }

    /// <summary>AIC and BIC on <paramref name="data"/> (the fitting rows); k counts nonzero coefficients plus the intercepts.</summary>
    public InformationCriteria InformationCriteria(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var k = Coefficients.Sum(row => row.Count(v => v != 0)) + (FitIntercept ? Intercepts.Count : 0);
        return new InformationCriteria(LogLikelihood(data), k, data.Count);
    }

    private double LogLikelihood(TabularDataset data)
    {
        using var scope = NewDisposeScope();
        var logits = Logits(data.Features);
        var labels = data.Labels();
        var logProbabilities = Coefficients.Count == 1
            ? cat([nn.functional.logsigmoid(-logits), nn.functional.logsigmoid(logits)], 1)
            : logits.log_softmax(1);
        return logProbabilities.gather(1, labels.unsqueeze(1)).sum().item<double>();
    }

    /// <summary>x·Wᵀ + b of shape (n, rows), float64.</summary>
    private Tensor Logits(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2 || features.shape[1] != FeatureNames.Count)
            throw new ArgumentException($"Expected features of shape (n, {FeatureNames.Count}), got ({string.Join(", ", features.shape)}).", nameof(features));
        var d = FeatureNames.Count;
        var w = tensor(Coefficients.SelectMany(r => r).ToArray(), [Coefficients.Count, d], device: features.device);
        var b = tensor(Intercepts.ToArray(), device: features.device);
        return features.to_type(ScalarType.Float64).mm(w.t()).add(b);
    }
}
