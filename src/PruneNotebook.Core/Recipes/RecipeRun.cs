namespace PruneNotebook.Core.Recipes;

/// <summary>A recipe that ran to its end: every step's result in order.</summary>
/// <param name="Name">The recipe's name (its <c>name</c> key, else its file name).</param>
/// <param name="File">The recipe file as the user named it.</param>
/// <param name="Steps">One result per step.</param>
/// <param name="Seconds">Wall-clock time of the whole run.</param>
public sealed record RecipeRun(string Name, string File, IReadOnlyList<RecipeStepResult> Steps, double Seconds);
