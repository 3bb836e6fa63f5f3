namespace PruneNotebook.Core.Reports;

/// <summary>Several training runs with the same budget, to compare side by side (optimizers, schedules, initializations).</summary>
/// <param name="Title">What is being compared, e.g. "Optimizers, 3 epochs".</param>
/// <param name="Runs">Each run's label and history.</param>
public sealed record TrainingComparison(string Title, IReadOnlyList<LabeledHistory> Runs);

/// <summary>One run of a <see cref="TrainingComparison"/>.</summary>
/// <param name="Label">The run's name in legends, e.g. <c>adam</c>.</param>
/// <param name="History">The run's history.</param>
public sealed record LabeledHistory(string Label, TrainingHistory History);
