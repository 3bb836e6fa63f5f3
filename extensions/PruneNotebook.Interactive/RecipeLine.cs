using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;
using PruneNotebook.Core.Recipes;

namespace PruneNotebook.Interactive;

/// <summary>
/// <c>--show-recipe</c> of the magics that change a model: the step they just ran as one line of a recipe
/// (<see cref="RecipeText.Step"/>), with the options as typed, so a notebook session can be copied into a recipe file
/// and replayed with <c>#!recipe</c> or <c>prunenotebook run</c>.
/// </summary>
internal static class RecipeLine
{
    public static KernelDirectiveParameter Parameter() =>
        new("--show-recipe", "Afterwards, print the recipe step this command ran (one line of YAML for a recipe file).") { Flag = true };

    /// <summary>Displays the step when <paramref name="show"/>; options whose value is <c>null</c> are left out (the defaults are the same).</summary>
    public static void Show(KernelInvocationContext context, bool show, string kind, params (string Key, string? Value)[] options)
    {
        if (show)
            context.Display((object)RecipeText.Step(kind, options), "text/plain");
    }

    /// <summary>A comma-separated option (<c>--layers conv1,fc1</c>) as a recipe list.</summary>
    public static string? List(string? text) => RecipeText.List(MagicArguments.List(text));
}
