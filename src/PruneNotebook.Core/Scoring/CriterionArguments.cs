using System.Globalization;

namespace PruneNotebook.Core.Scoring;

/// <summary>
/// The arguments given to a registered criterion, by name, as typed (<c>--n 3</c> → <c>n = "3"</c>); read by its
/// factory with the criterion's own defaults. <see cref="Criteria.Create"/> has checked that each is one the criterion takes.
/// </summary>
/// <param name="values">Argument values by name; names are compared without regard to case.</param>
public sealed class CriterionArguments(IReadOnlyDictionary<string, string>? values = null)
{
    private readonly Dictionary<string, string> _values = new(values ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);

    /// <summary>No arguments.</summary>
    public static CriterionArguments None { get; } = new();

    /// <summary>The names given.</summary>
    public IReadOnlyCollection<string> Names => _values.Keys;

    /// <summary>The argument <paramref name="name"/> as a number (<c>inf</c> is +∞), or <paramref name="fallback"/> when not given.</summary>
    /// <exception cref="ArgumentException">The value is not a number.</exception>
    public double Number(string name, double fallback)
    {
        if (!_values.TryGetValue(name, out var text))
            return fallback;
        if (text.Trim().Equals("inf", StringComparison.OrdinalIgnoreCase))
            return double.PositiveInfinity;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"--{name} '{text}' is not a number.");
    }

    /// <summary>The argument <paramref name="name"/> as a whole number, or <paramref name="fallback"/> when not given.</summary>
    /// <exception cref="ArgumentException">The value is not a whole number.</exception>
    public long Integer(string name, long fallback)
    {
        if (!_values.TryGetValue(name, out var text))
            return fallback;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"--{name} '{text}' is not a whole number.");
    }
}
