using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace PruneNotebook.Core.Recipes;

/// <summary>
/// The options of one step (or the recipe's top level) as written: typed reads that fail with the file, line and key,
/// and a final check that every key written was one the step knows.
/// </summary>
internal sealed class RecipeSection
{
    private readonly Dictionary<string, (YamlNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _known = [];

    /// <param name="file">The recipe as the user named it.</param>
    /// <param name="name">The step kind (or empty for the top level); keys are reported as <c>name.key</c>.</param>
    /// <param name="line">The line of the step.</param>
    /// <param name="options">A mapping of options, or <c>null</c> for none.</param>
    /// <param name="shorthand">A step written as <c>kind: value</c>: the option the value stands for, and the value.</param>
    public RecipeSection(string file, string name, int line, YamlMappingNode? options, (string Key, YamlScalarNode Value)? shorthand = null)
    {
        File = file;
        Name = name;
        Line = line;
        if (shorthand is { } given)
            _entries[given.Key] = (given.Value, given.Value);
        foreach (var (key, value) in options?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            var text = key is YamlScalarNode { Value: { } k } ? k : throw new RecipeException(file, LineOf(key), name, "a key must be a plain name.");
            if (!_entries.TryAdd(text, (key, value)))
                throw new RecipeException(file, LineOf(key), Qualified(text), "this key is written twice: keep one.");
        }
    }

    public string File { get; }

    public string Name { get; }

    public int Line { get; }

    /// <summary>The line each key given is on.</summary>
    public IReadOnlyDictionary<string, int> KeyLines => _entries.ToDictionary(e => e.Key, e => LineOf(e.Value.Key));

    /// <summary>The options as written, in order (lists as YAML flow lists), for <see cref="RecipeText.Step"/>.</summary>
    public IEnumerable<(string Key, string? Value)> Pairs => _entries.Select(e => (e.Key, e.Value.Value switch
    {
        YamlScalarNode scalar => scalar.Value,
        YamlSequenceNode list => RecipeText.List(list.Children.Select(c => (c as YamlScalarNode)?.Value ?? "")),
        _ => "",
    }));

    /// <summary>Whether <paramref name="key"/> was written (without counting it as a key the step knows).</summary>
    public bool Wrote(string key) => _entries.ContainsKey(key);

    /// <summary>Whether <paramref name="key"/> was written.</summary>
    public bool Has(string key)
    {
        Know(key);
        return _entries.ContainsKey(key);
    }

    /// <summary>A scalar as typed, or <c>null</c> when the key is absent.</summary>
    public string? Text(string key, string expected = "a value")
    {
        Know(key);
        if (!_entries.TryGetValue(key, out var entry))
            return null;
        if (entry.Value is not YamlScalarNode { Value: { } value } || (value.Length == 0 && ((YamlScalarNode)entry.Value).Style == YamlDotNet.Core.ScalarStyle.Plain))
            throw Error(key, $"expected {expected}, got {Describe(entry.Value)}.");
        return value;
    }

    /// <summary>A whole number, at least <paramref name="min"/>, or <c>null</c> when absent.</summary>
    public int? Integer(string key, int min)
    {
        var text = Text(key, "a whole number");
        if (text is null)
            return null;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw Error(key, $"expected a whole number, got '{text}'.");
        if (value < min)
            throw Error(key, $"expected a whole number of at least {min}, got {value}.");
        return value;
    }

    /// <summary>A number (<c>1e-3</c>, <c>0.9</c>), or <c>null</c> when absent.</summary>
    public double? Number(string key)
    {
        var text = Text(key, "a number");
        if (text is null)
            return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw Error(key, $"expected a number (e.g. 1e-3), got '{text}'.");
        return value;
    }

    /// <summary><c>true</c> or <c>false</c>; <c>false</c> when absent.</summary>
    public bool Flag(string key)
    {
        var text = Text(key, "true or false");
        return text is null ? false : text.Trim().ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => throw Error(key, $"expected true or false, got '{text}'."),
        };
    }

    /// <summary>A list of names, written as a YAML list or a comma-separated text; <c>null</c> when absent.</summary>
    public IReadOnlyList<string>? Names(string key)
    {
        Know(key);
        if (!_entries.TryGetValue(key, out var entry))
            return null;
        var names = entry.Value switch
        {
            YamlSequenceNode sequence => sequence.Children.Select(c => c is YamlScalarNode { Value: { Length: > 0 } v }
                ? v.Trim() : throw Error(key, $"expected a list of names, got {Describe(c)} in it.")).ToList(),
            YamlScalarNode { Value: { Length: > 0 } text } => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            _ => throw Error(key, $"expected a list of names (e.g. [conv1, fc1]), got {Describe(entry.Value)}."),
        };
        return names.Count > 0 ? names : throw Error(key, "expected at least one name.");
    }

    /// <summary>An error about <paramref name="key"/> (at its line when written, else at the step's).</summary>
    public RecipeException Error(string key, string problem) =>
        new(File, _entries.TryGetValue(key, out var entry) ? LineOf(entry.Key) : Line, Qualified(key), problem);

    /// <summary>Throws on the first key written that the step did not ask for, naming the keys it knows.</summary>
    public void RejectUnknown()
    {
        var unknown = _entries.FirstOrDefault(e => !_known.Contains(e.Key));
        if (unknown.Key is null)
            return;
        var where = string.IsNullOrEmpty(Name) ? "a recipe" : $"a '{Name}' step";
        var keys = _known.Count == 0 ? $"{where} takes no options" : $"{where} takes {string.Join(", ", _known)}";
        throw new RecipeException(File, LineOf(unknown.Value.Key), Qualified(unknown.Key), $"unknown key: {keys}.");
    }

    public static int LineOf(YamlNode node) => (int)node.Start.Line;

    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode { Value: { Length: > 0 } v } => $"'{v}'",
        YamlScalarNode => "nothing",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping of keys",
        _ => "something else",
    };

    private string Qualified(string key) => string.IsNullOrEmpty(Name) ? key : $"{Name}.{key}";

    private void Know(string key)
    {
        if (!_known.Contains(key))
            _known.Add(key);
    }
}
