namespace PruneNotebook.Core.Scoring;

/// <summary>An argument a registered criterion takes, spelled the same everywhere (<c>--n</c> in the magics and the CLI).</summary>
/// <param name="Name">The argument's name, e.g. <c>n</c> or <c>seed</c>.</param>
/// <param name="Description">What it means and its default, e.g. "norm order (default 2; inf for the largest |w|)".</param>
public sealed record CriterionParameter(string Name, string Description);
