using System.Text.RegularExpressions;

namespace PruneNotebook.Core.Recipes;

/// <summary>Turns Core's one-line refusals (which name options as <c>--amount</c>) into recipe errors at the key's line.</summary>
internal static partial class RecipeErrors
{
    /// <summary>
    /// A <see cref="RecipeException"/> for <paramref name="message"/>: at <paramref name="key"/> when given, else at the first
    /// option the message names (<c>--amount</c> → <c>amount</c>) when the step wrote it, else at the step.
    /// </summary>
    public static RecipeException AtKey(RecipeStep step, string message, string? key = null)
    {
        key ??= OptionName().Matches(message).Select(m => m.Groups[1].Value).FirstOrDefault(k => step.Source.Wrote(k));
        return key is null ? step.Error(message) : step.Error(key, message);
    }

    [GeneratedRegex(@"--([a-z][a-z0-9-]*)")]
    private static partial Regex OptionName();
}
