using PruneNotebook.Core.Data;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// A learning algorithm in scikit-learn's contract: its hyperparameters are fixed by its constructor, <see cref="Fit"/>
/// validates the data and returns a new, immutable fitted model; the estimator itself never changes, so one instance
/// can be fitted on many folds (also concurrently).
/// </summary>
public interface IEstimator
{
    /// <summary>A short name for tables (<c>Lasso</c>, <c>MLP 64</c>).</summary>
    string Name { get; }

    /// <summary>The hyperparameters, by name, for comparison tables.</summary>
    IReadOnlyDictionary<string, object> Parameters { get; }

    /// <summary>Fits on <paramref name="data"/> and returns the fitted model.</summary>
    /// <exception cref="ArgumentException">The data do not suit the estimator (e.g. a classifier given a regression target).</exception>
    IFittedModel Fit(TabularDataset data);
}

/// <summary>What <see cref="IEstimator.Fit"/> returns: predictions and a score on new rows.</summary>
public interface IFittedModel
{
    /// <summary>Predictions (n) for <paramref name="features"/> (n, d), float32 on the features' device: values, or class indices for classifiers.</summary>
    Tensor Predict(Tensor features);

    /// <summary>
    /// The default score on <paramref name="data"/>, higher is better (as scikit-learn's <c>score</c>): R² for regressors,
    /// accuracy for classifiers.
    /// </summary>
    double Score(TabularDataset data);
}

/// <summary>A fitted model that ranks its input features (non-negative, one per feature, larger is more important).</summary>
public interface IFeatureImportances
{
    /// <summary>One importance per input feature (d): |coefficient| summed over classes for linear models.</summary>
    IReadOnlyList<double> FeatureImportances { get; }
}

/// <summary>A fitted linear model: one coefficient row per output (one for regression and binary classification, k for multinomial).</summary>
public interface ICoefficients : IFeatureImportances
{
    /// <summary>Coefficient rows (outputs, d).</summary>
    IReadOnlyList<IReadOnlyList<double>> CoefficientRows { get; }
}
