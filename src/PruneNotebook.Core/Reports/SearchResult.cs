namespace PruneNotebook.Core.Reports;

/// <summary>One hyperparameter configuration's cross-validated evaluation.</summary>
/// <param name="Index">Position in evaluation order.</param>
/// <param name="Parameters">The configuration.</param>
/// <param name="Scores">Test score per fold.</param>
/// <param name="Seconds">Total fit and score time over the folds.</param>
/// <param name="Round">Successive-halving round (0 for grid and random search).</param>
/// <param name="Resource">The budget this trial was given in successive halving (e.g. epochs), or <c>null</c>.</param>
public sealed record SearchTrial(int Index, IReadOnlyDictionary<string, object> Parameters, IReadOnlyList<double> Scores, double Seconds, int Round = 0, double? Resource = null)
{
    /// <summary>Mean score over folds.</summary>
    public double Mean => Scores.Average();

    /// <summary>Population standard deviation over folds.</summary>
    public double Std => Scores.Count < 2 ? 0 : Math.Sqrt(Scores.Sum(s => (s - Mean) * (s - Mean)) / Scores.Count);
}

/// <summary>The results of a grid search, random search or successive halving.</summary>
/// <param name="Method">E.g. <c>grid search</c>, <c>random search (20 trials, seed 0)</c>.</param>
/// <param name="Dataset">The data.</param>
/// <param name="CV">How the folds were made.</param>
/// <param name="Metric">The score; higher is better.</param>
/// <param name="Trials">Every evaluation, in order.</param>
/// <param name="BestIndex">Index into <paramref name="Trials"/> of the winner (best mean; for successive halving, in the last round).</param>
/// <param name="Seconds">Wall time of the whole search.</param>
/// <param name="Parallelism">Trials evaluated at once.</param>
public sealed record SearchResult(string Method, string Dataset, string CV, string Metric, IReadOnlyList<SearchTrial> Trials, int BestIndex, double Seconds, int Parallelism)
{
    /// <summary>The winning trial.</summary>
    public SearchTrial Best => Trials[BestIndex];

    /// <summary>Every parameter name that appears in a trial, in first-seen order.</summary>
    public IReadOnlyList<string> ParameterNames => Trials.SelectMany(t => t.Parameters.Keys).Distinct().ToArray();
}
