using System.Globalization;

namespace PruneNotebook.Core.Selection;

/// <summary>Hyperparameter grids: the Cartesian product of value lists, and the text forms the magics accept.</summary>
public static class ParameterGrid
{
    /// <summary>
    /// Every combination of the values, the last parameter varying fastest (scikit-learn's <c>ParameterGrid</c> order,
    /// with the parameters in the order given).
    /// </summary>
    /// <exception cref="ArgumentException">The grid is empty or a parameter has no values.</exception>
    public static IReadOnlyList<IReadOnlyDictionary<string, object>> Expand(IReadOnlyList<KeyValuePair<string, IReadOnlyList<object>>> grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (grid.Count == 0)
            throw new ArgumentException("The grid names no parameters: expected e.g. lr=1e-3,1e-2;wd=0,1e-4.", nameof(grid));
        foreach (var (name, values) in grid)
            if (values is null || values.Count == 0)
                throw new ArgumentException($"Grid parameter '{name}' has no values.", nameof(grid));
        IEnumerable<Dictionary<string, object>> combinations = [new Dictionary<string, object>()];
        foreach (var (name, values) in grid)
            combinations = combinations.SelectMany(c => values.Select(v => new Dictionary<string, object>(c) { [name] = v })).ToList();
        return combinations.Select(c => (IReadOnlyDictionary<string, object>)c).ToList();
    }

    /// <summary>Parses <c>lr=1e-3,1e-2;wd=0,1e-4</c>: parameters separated by <c>;</c>, values by <c>,</c>.</summary>
    /// <exception cref="FormatException">A part is not <c>name=values</c> or a name repeats.</exception>
    public static IReadOnlyList<KeyValuePair<string, IReadOnlyList<object>>> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var grid = new List<KeyValuePair<string, IReadOnlyList<object>>>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0 || equals == part.Length - 1)
                throw new FormatException($"Grid part '{part}' is not name=value,value,...: expected e.g. lr=1e-3,1e-2;wd=0,1e-4.");
            var name = part[..equals].Trim();
            if (grid.Any(p => p.Key == name))
                throw new FormatException($"Grid parameter '{name}' is given twice.");
            grid.Add(new(name, ParseValues(part[(equals + 1)..])));
        }
        return grid.Count > 0 ? grid : throw new FormatException("The grid is empty: expected e.g. lr=1e-3,1e-2;wd=0,1e-4.");
    }

    /// <summary>Parses <c>lr=loguniform(1e-4,1e-1);hidden=choice(16,32,64)</c> into distributions.</summary>
    /// <exception cref="FormatException">A part is malformed.</exception>
    public static IReadOnlyList<KeyValuePair<string, ParameterDistribution>> ParseSpace(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var space = new List<KeyValuePair<string, ParameterDistribution>>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0 || equals == part.Length - 1)
                throw new FormatException($"Search-space part '{part}' is not name=distribution: expected e.g. lr=loguniform(1e-4,1e-1);hidden=choice(16,32,64).");
            space.Add(new(part[..equals].Trim(), ParameterDistribution.Parse(part[(equals + 1)..])));
        }
        return space.Count > 0 ? space : throw new FormatException("The search space is empty: expected e.g. lr=loguniform(1e-4,1e-1);hidden=choice(16,32,64).");
    }

    /// <summary>Comma-separated values: numbers as double, the rest as trimmed text.</summary>
    public static object[] ParseValues(string text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (object)d : v)
            .ToArray();

    /// <summary>A parameter value for tables: numbers in short invariant form.</summary>
    public static string Format(object? value) => value switch
    {
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        float f => f.ToString("G4", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        null => "",
        _ => value.ToString() ?? "",
    };

    /// <summary>A parameter set as <c>lr=0.001, wd=0</c>.</summary>
    public static string Format(IReadOnlyDictionary<string, object> parameters) =>
        string.Join(", ", (parameters ?? throw new ArgumentNullException(nameof(parameters))).Select(p => $"{p.Key}={Format(p.Value)}"));

    /// <summary>The value of <paramref name="name"/> as a double (numbers of any type).</summary>
    /// <exception cref="ArgumentException">Missing or not a number.</exception>
    public static double Double(this IReadOnlyDictionary<string, object> parameters, string name, double? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!parameters.TryGetValue(name, out var value))
            return fallback ?? throw new ArgumentException($"Missing hyperparameter '{name}'.", nameof(name));
        return value is IConvertible c and not string ? c.ToDouble(CultureInfo.InvariantCulture)
            : throw new ArgumentException($"Hyperparameter '{name}' is '{value}', not a number.", nameof(name));
    }

    /// <summary>The value of <paramref name="name"/> as an int (rounded).</summary>
    /// <exception cref="ArgumentException">Missing or not a number.</exception>
    public static int Int(this IReadOnlyDictionary<string, object> parameters, string name, int? fallback = null) =>
        (int)Math.Round(Double(parameters, name, fallback));
}
