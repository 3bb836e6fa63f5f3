using System.Globalization;
using PruneNotebook.Core.Analysis;

namespace PruneNotebook.Core.Hosting;

/// <summary>
/// Option values as a host receives them (text typed in a magic, on a command line, in a recipe), parsed the same way
/// everywhere: each failure is one line that names the option and what it expects.
/// </summary>
public static class OptionValues
{
    /// <summary><paramref name="value"/> lower-cased, or <paramref name="fallback"/> when empty.</summary>
    /// <exception cref="ArgumentException">Not one of <paramref name="allowed"/>.</exception>
    public static string Choice(string option, string? value, string fallback, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var chosen = string.IsNullOrWhiteSpace(value) ? fallback : value.Trim().ToLowerInvariant();
        return allowed.Contains(chosen)
            ? chosen
            : throw new ArgumentException($"Unknown {option} '{value}': expected {string.Join(", ", allowed.Take(allowed.Length - 1))} or {allowed[^1]}.");
    }

    /// <summary>A whole number, or <paramref name="fallback"/> when empty.</summary>
    /// <exception cref="ArgumentException">Not a whole number.</exception>
    public static int Integer(string option, string? value, int fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
            return fallback;
        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new ArgumentException($"{option} '{value}' is not a whole number.");
    }

    /// <summary>A number (<c>inf</c> for infinity), or <paramref name="fallback"/> when empty.</summary>
    /// <exception cref="ArgumentException">Not a number.</exception>
    public static double Number(string option, string? value, double fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
            return fallback;
        if (value.Trim().Equals("inf", StringComparison.OrdinalIgnoreCase))
            return double.PositiveInfinity;
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new ArgumentException($"{option} '{value}' is not a number.");
    }

    /// <summary>Comma-separated numbers, or <paramref name="fallback"/> when empty.</summary>
    /// <exception cref="ArgumentException">A part is not a number.</exception>
    public static double[] Numbers(string option, string? value, double[] fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
            return fallback;
        return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new ArgumentException($"{option} '{value}' is not a comma-separated list of numbers, e.g. 0.1,0.5,0.9."))
            .ToArray();
    }

    /// <summary>An input shape such as <c>1,1,28,28</c>, or <c>null</c> when empty.</summary>
    /// <exception cref="ArgumentException">Not a list of positive whole numbers.</exception>
    public static long[]? Shape(string option, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        try
        {
            return InputShapes.Parse(value);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"{option} {e.Message}");
        }
    }

    /// <summary>Comma-separated names, or <c>null</c> when empty.</summary>
    public static string[]? List(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Estimator parameters <c>name=value;name=value</c> (numbers as double), or <c>null</c> when empty; <paramref name="option"/>
    /// names the option in messages (<c>--params</c>).
    /// </summary>
    /// <exception cref="ArgumentException">Not <c>name=value</c> pairs, or a name given several values.</exception>
    public static IReadOnlyDictionary<string, object>? Parameters(string option, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var grid = Parse(() => Selection.ParameterGrid.Parse(text), option);
        return grid.ToDictionary(p => p.Key, p => p.Value.Count == 1 ? p.Value[0]
            : throw new ArgumentException($"{option} gives '{p.Key}' {p.Value.Count} values: expected one (use #!search for several)."));
    }

    /// <summary>Runs a parser, turning its FormatException into an ArgumentException prefixed with the option.</summary>
    public static T Parse<T>(Func<T> parse, string option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"{option}: {e.Message}");
        }
    }
}
