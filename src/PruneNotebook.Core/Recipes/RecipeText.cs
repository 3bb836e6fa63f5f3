using System.Globalization;

namespace PruneNotebook.Core.Recipes;

/// <summary>
/// Writes recipe steps as one line of YAML, e.g. <c>- prune: {amount: 0.9, scope: global}</c>: what a recipe's steps and the
/// magics that change a model print, so a notebook session can be turned into a recipe by copying those lines.
/// </summary>
public static class RecipeText
{
    /// <summary>
    /// The step <paramref name="kind"/> with <paramref name="options"/> as typed (option names without <c>--</c>); options
    /// whose value is <c>null</c> are left out, as the magic's defaults are the recipe's.
    /// </summary>
    public static string Step(string kind, IEnumerable<(string Key, string? Value)> options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        var given = options.Where(o => o.Value is not null).Select(o => $"{o.Key}: {Scalar(o.Value!)}").ToList();
        return given.Count == 0 ? $"- {kind}" : $"- {kind}: {{{string.Join(", ", given)}}}";
    }

    /// <summary>A flag as a recipe writes it: <c>"true"</c> when set, else <c>null</c> (left out).</summary>
    public static string? Flag(bool set) => set ? "true" : null;

    /// <summary>A number as a recipe writes it (invariant culture, round-trip).</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A list of names as a YAML flow list, e.g. <c>[conv1, fc1]</c>; <c>null</c> for none.</summary>
    public static string? List(IEnumerable<string>? names) =>
        names is null ? null : "[" + string.Join(", ", names.Select(Scalar)) + "]";

    /// <summary><paramref name="value"/> as a plain YAML scalar when that reads back the same, else single-quoted.</summary>
    internal static string Scalar(string value)
    {
        if (value.StartsWith('[') && value.EndsWith(']'))
            return value;
        var plain = value.Length > 0 && value.Trim() == value && value.IndexOfAny([':', '#', ',', '{', '}', '[', ']', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`']) < 0
            && !(value.StartsWith('-') && value.Length > 1 && !char.IsDigit(value[1]) && value[1] != '.') && value != "-" && value != "~"
            && !value.Equals("null", StringComparison.OrdinalIgnoreCase);
        return plain || IsPercent(value) ? value : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    private static bool IsPercent(string value) =>
        value.EndsWith('%') && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
