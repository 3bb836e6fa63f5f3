using PruneNotebook.Core.Data;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// A fitted linear regressor ŷ = X·w + b (least squares, Ridge, Lasso, Elastic Net). Immutable: the coefficients live on
/// the host (d values) and predictions are computed on the features' device.
/// </summary>
/// <param name="Estimator">Which estimator fitted it, with its hyperparameters (<c>Lasso(alpha=0.1)</c>).</param>
/// <param name="Coefficients">w (d).</param>
/// <param name="Intercept">b (0 without an intercept).</param>
/// <param name="FeatureNames">The d feature names it was fitted on.</param>
/// <param name="Iterations">Solver iterations (coordinate-descent sweeps; 1 for closed forms).</param>
/// <param name="Converged">Whether the solver met its tolerance within its iteration budget.</param>
/// <param name="FitIntercept">Whether b was estimated (it then counts as a parameter in AIC/BIC).</param>
public sealed record LinearModel(string Estimator, IReadOnlyList<double> Coefficients, double Intercept, IReadOnlyList<string> FeatureNames, int Iterations, bool Converged, bool FitIntercept = true)
    : IFittedModel, ICoefficients
{
    /// <inheritdoc />
    public IReadOnlyList<double> FeatureImportances => Coefficients.Select(Math.Abs).ToArray();

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<double>> CoefficientRows => [Coefficients];

    /// <summary>Features with a nonzero coefficient.</summary>
    public int NonzeroCount => Coefficients.Count(c => c != 0);

    /// <summary>ŷ (n), float32, for <paramref name="features"/> (n, d).</summary>
    /// <exception cref="ArgumentException">The feature count differs from the fitted one.</exception>
    public Tensor Predict(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2 || features.shape[1] != Coefficients.Count)
            throw new ArgumentException($"Expected features of shape (n, {Coefficients.Count}), got ({string.Join(", ", features.shape)}).", nameof(features));
        using var scope = NewDisposeScope();
        var w = tensor(Coefficients.ToArray(), device: features.device);
        return features.to_type(ScalarType.Float64).mv(w).add(Intercept).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>R² on <paramref name="data"/>.</summary>
    public double Score(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var predictions = Predict(data.Features);
        return Scores.R2(predictions, data.Targets);
    }

    /// <summary>AIC and BIC on <paramref name="data"/> (the fitting rows) under Gaussian errors; k counts nonzero coefficients plus the intercept.</summary>
    public InformationCriteria InformationCriteria(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var predictions = Predict(data.Features);
        var ssr = predictions.to_type(ScalarType.Float64).sub(data.Targets.to_type(ScalarType.Float64)).square().sum().item<double>();
        return Selection.InformationCriteria.Gaussian(ssr, data.Count, NonzeroCount + (FitIntercept ? 1 : 0));
    }
}
