using PruneNotebook.Core.Hosting;

namespace PruneNotebook.Interactive;

/// <summary>
/// Parses magic-command option values with Core's <see cref="OptionValues"/> (the CLI parses its options the same way),
/// failing with one line that names the option and what it expects.
/// </summary>
internal static class MagicArguments
{
    public static string Choice(string option, string? value, string fallback, params string[] allowed) => OptionValues.Choice(option, value, fallback, allowed);

    public static int Integer(string option, string? value, int fallback) => OptionValues.Integer(option, value, fallback);

    public static double Number(string option, string? value, double fallback) => OptionValues.Number(option, value, fallback);

    public static double[] Numbers(string option, string? value, double[] fallback) => OptionValues.Numbers(option, value, fallback);

    /// <summary>An input shape such as 1,1,28,28, or <c>null</c> when the option was not given.</summary>
    public static long[]? Shape(string option, string? value) => OptionValues.Shape(option, value);

    public static string[]? List(string? value) => OptionValues.List(value);
}
