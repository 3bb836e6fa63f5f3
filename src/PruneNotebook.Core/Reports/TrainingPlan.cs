namespace PruneNotebook.Core.Reports;

/// <summary>What a training run is about to do, shown before it starts.</summary>
/// <param name="ModelName">The model's type name.</param>
/// <param name="TrainExamples">Examples trained on per epoch.</param>
/// <param name="ValidationExamples">Examples evaluated after each epoch (0 for none).</param>
/// <param name="Settings">Setting name and value pairs in display order (optimizer, learning rate, schedule, ...).</param>
public sealed record TrainingPlan(string ModelName, long TrainExamples, long ValidationExamples, IReadOnlyList<KeyValuePair<string, string>> Settings);
