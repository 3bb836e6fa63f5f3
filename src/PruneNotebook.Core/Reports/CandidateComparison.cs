namespace PruneNotebook.Core.Reports;

/// <summary>Several candidate models cross-validated on the same folds, with AIC/BIC where the model has a likelihood.</summary>
/// <param name="Title">A caption.</param>
/// <param name="Candidates">One cross-validation result per candidate, in the order given.</param>
/// <param name="Aic">AIC of each candidate refitted on all rows, or <c>null</c> where not defined (networks).</param>
/// <param name="Bic">BIC likewise.</param>
public sealed record CandidateComparison(string Title, IReadOnlyList<CrossValidationResult> Candidates, IReadOnlyList<double?> Aic, IReadOnlyList<double?> Bic)
{
    /// <summary>The index of the candidate with the best mean score.</summary>
    public int Best => Enumerable.Range(0, Candidates.Count).MaxBy(i => Candidates[i].Mean);
}
