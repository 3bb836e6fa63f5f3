namespace PruneNotebook.Core.Recipes;

/// <summary>What one step of a recipe produced: one line of text both hosts print, and the record the matching magic shows.</summary>
/// <param name="Index">1-based position of the step in the recipe.</param>
/// <param name="Kind">The step's kind, e.g. <c>train</c>.</param>
/// <param name="Line">The step's line in the recipe file.</param>
/// <param name="Text">One line: what the step did, with its figures (e.g. <c>evaluate: test accuracy 88.12 %, loss 0.3301 on 10,000 examples</c>).</param>
/// <param name="Record">The Core record a magic shows for the same work (<c>TrainingHistory</c>, <c>SparsityReport</c>, <c>SurgeryReport</c>, <c>Evaluation</c>, <c>NetworkSummary</c>), or <c>null</c>.</param>
public sealed record RecipeStepResult(int Index, string Kind, int Line, string Text, object? Record);
