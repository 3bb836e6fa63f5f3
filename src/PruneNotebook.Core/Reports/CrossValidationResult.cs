namespace PruneNotebook.Core.Reports;

/// <summary>An estimator's scores on each cross-validation fold.</summary>
/// <param name="Estimator">The estimator's name.</param>
/// <param name="Parameters">Its hyperparameters.</param>
/// <param name="Dataset">The data.</param>
/// <param name="CV">How the folds were made (<c>5-fold stratified</c>).</param>
/// <param name="Metric">The score (<c>accuracy</c>, <c>R²</c>); higher is better.</param>
/// <param name="Scores">Test score per fold.</param>
/// <param name="FitSeconds">Fit time per fold.</param>
public sealed record CrossValidationResult(
    string Estimator,
    IReadOnlyDictionary<string, object> Parameters,
    string Dataset,
    string CV,
    string Metric,
    IReadOnlyList<double> Scores,
    IReadOnlyList<double> FitSeconds)
{
    /// <summary>Mean score over folds.</summary>
    public double Mean => Scores.Average();

    /// <summary>Population standard deviation of the fold scores.</summary>
    public double Std => Scores.Count < 2 ? 0 : Math.Sqrt(Scores.Sum(s => (s - Mean) * (s - Mean)) / Scores.Count);

    /// <summary>Mean fit time per fold.</summary>
    public double MeanFitSeconds => FitSeconds.Average();
}
