namespace PruneNotebook.Core.Recipes;

/// <summary>
/// A recipe that cannot run as written: a syntax error, an unknown key or step, a value of the wrong type, a step in an
/// impossible order, a missing file. The message is one line, <c>file:line: key: what was wrong and what was expected</c>.
/// </summary>
public sealed class RecipeException : ArgumentException
{
    /// <summary>Creates the error for <paramref name="key"/> at <paramref name="line"/> of <paramref name="file"/>.</summary>
    /// <param name="file">The recipe file as the user named it.</param>
    /// <param name="line">1-based line of the key (0 when the file itself is the problem).</param>
    /// <param name="key">The key or step the problem is in, e.g. <c>train.epochs</c>.</param>
    /// <param name="problem">What was wrong and what was expected.</param>
    public RecipeException(string file, int line, string key, string problem)
        : base(Format(file, line, key, problem))
    {
        File = file;
        Line = line;
        Key = key;
        Problem = problem;
    }

    /// <summary>The recipe file as the user named it.</summary>
    public string File { get; }

    /// <summary>1-based line of the key (0 when the file itself is the problem).</summary>
    public int Line { get; }

    /// <summary>The key or step the problem is in.</summary>
    public string Key { get; }

    /// <summary>What was wrong and what was expected, without the location.</summary>
    public string Problem { get; }

    private static string Format(string file, int line, string key, string problem)
    {
        var flat = string.Join(" ", problem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Split(" (Parameter '", 2)[0].Trim();
        var where = line > 0 ? $"{file}:{line}" : file;
        return string.IsNullOrEmpty(key) ? $"{where}: {flat}" : $"{where}: {key}: {flat}";
    }
}
