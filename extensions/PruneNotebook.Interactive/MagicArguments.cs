using System.Globalization;

namespace PruneNotebook.Interactive;

/// <summary>Parses magic-command option values, failing with one line that names the option and what it expects.</summary>
internal static class MagicArguments
{
    public static string Choice(string option, string? value, string fallback, params string[] allowed)
    {
        var chosen = string.IsNullOrWhiteSpace(value) ? fallback : value.Trim().ToLowerInvariant();
        return allowed.Contains(chosen)
            ? chosen
            : throw new UsageException($"Unknown {option} '{value}': expected {string.Join(", ", allowed.Take(allowed.Length - 1))} or {allowed[^1]}.");
    }

    public static int Integer(string option, string? value, int fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
            return fallback;
        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new UsageException($"{option} '{value}' is not a whole number.");
    }

    public static double Number(string option, string? value, double fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
            return fallback;
        if (value.Trim().Equals("inf", StringComparison.OrdinalIgnoreCase))
            return double.PositiveInfinity;
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new UsageException($"{option} '{value}' is not a number.");
    }

    public static double[] Numbers(string option, string? value, double[] fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
            return fallback;
        return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new UsageException($"{option} '{value}' is not a comma-separated list of numbers, e.g. 0.1,0.5,0.9."))
            .ToArray();
    }

    /// <summary>An input shape such as 1,1,28,28, or <c>null</c> when the option was not given.</summary>
    public static long[]? Shape(string option, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        try
        {
            return PruneNotebook.Core.Analysis.InputShapes.Parse(value);
        }
        catch (FormatException e)
        {
            throw new UsageException($"{option} {e.Message}");
        }
    }

    public static string[]? List(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
