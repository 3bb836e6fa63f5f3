namespace PruneNotebook.Core.Reports;

/// <summary>
/// Which input features a selection method kept and how it scored every feature.
/// </summary>
/// <param name="Method">How the features were scored (<c>RFE with Lasso(alpha=0.01)</c>, <c>permutation importance</c>).</param>
/// <param name="Dataset">The data it ran on.</param>
/// <param name="FeatureNames">All d input features, in column order.</param>
/// <param name="Scores">One score per feature (d), larger is more important: importances, score drops, or for RFE the rounds a feature survived.</param>
/// <param name="ScoreLabel">What <paramref name="Scores"/> measure, for axis titles.</param>
/// <param name="Ranking">Rank per feature (d): 1 for selected features; for RFE, higher for features eliminated earlier (as scikit-learn's <c>ranking_</c>).</param>
/// <param name="Selected">Column indices of the selected features, ascending.</param>
/// <param name="ScoreStd">Standard deviation of each score over repeats (permutation importance), or <c>null</c>.</param>
/// <param name="Curve">Cross-validated score per number of features (RFECV), or <c>null</c>.</param>
public sealed record FeatureSelection(
    string Method,
    string Dataset,
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<double> Scores,
    string ScoreLabel,
    IReadOnlyList<int> Ranking,
    IReadOnlyList<int> Selected,
    IReadOnlyList<double>? ScoreStd = null,
    IReadOnlyList<FeatureCountScore>? Curve = null)
{
    /// <summary>Names of the selected features, in column order.</summary>
    public IReadOnlyList<string> SelectedNames => Selected.Select(i => FeatureNames[i]).ToArray();
}

/// <summary>A cross-validated score with a given number of features.</summary>
/// <param name="Features">Features kept.</param>
/// <param name="Mean">Mean score over folds.</param>
/// <param name="Std">Standard deviation over folds.</param>
public sealed record FeatureCountScore(int Features, double Mean, double Std);
