namespace PruneNotebook.Core.Reports;

/// <summary>Weight histograms of several models or runs, drawn over each other.</summary>
/// <param name="Title">What is being compared.</param>
/// <param name="Distributions">One histogram per run.</param>
public sealed record WeightDistributions(string Title, IReadOnlyList<WeightDistribution> Distributions);
