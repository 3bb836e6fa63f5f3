namespace PruneNotebook.Core.Reports;

/// <summary>
/// A finished tradeoff study: the dense reference, every pruned trial, and per criterion and target the mean ± std over
/// seeds — the points of accuracy-vs-compression and accuracy-vs-speedup curves.
/// </summary>
/// <param name="Name">The study's name.</param>
/// <param name="Model">The architecture.</param>
/// <param name="Dataset">The data.</param>
/// <param name="Mode"><c>weights</c> (sparsity by masks) or <c>channels</c> (surgery).</param>
/// <param name="Scope"><c>local</c> or <c>global</c>.</param>
/// <param name="FineTuning">The fine-tuning budget every pruned model got.</param>
/// <param name="DenseAccuracy">Top-1 accuracy of the dense checkpoint.</param>
/// <param name="DenseParameters">Its parameters.</param>
/// <param name="DenseMacs">Its MACs for one example.</param>
/// <param name="Trials">Every pruned trial with a result.</param>
/// <param name="Points">Mean ± std per criterion and target, ordered by criterion then target.</param>
/// <param name="Failures">Trials without a result and why (<c>trial 7: …</c>).</param>
/// <param name="SweepDirectory">Where the trials' spec, results and logs are.</param>
/// <param name="Backend">Where they ran.</param>
/// <param name="Seconds">Wall time of the run.</param>
public sealed record TradeoffResult(
    string Name,
    string Model,
    string Dataset,
    string Mode,
    string Scope,
    string FineTuning,
    double DenseAccuracy,
    long DenseParameters,
    long DenseMacs,
    IReadOnlyList<TradeoffTrial> Trials,
    IReadOnlyList<TradeoffPoint> Points,
    IReadOnlyList<string> Failures,
    string SweepDirectory,
    string Backend,
    double Seconds)
{
    /// <summary>The criteria, in the study's order.</summary>
    public IReadOnlyList<string> Criteria => Points.Select(p => p.Criterion).Distinct().ToList();
}
