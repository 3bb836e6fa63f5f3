namespace PruneNotebook.Core.Recipes;

/// <summary>
/// What the steps checked so far provide, as <see cref="Recipe.Validate"/> walks them in order: the model's architecture,
/// whether data was loaded, the files earlier steps will write. Nothing is run.
/// </summary>
internal sealed class RecipeCheck(Recipe recipe, RecipeRunOptions options)
{
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    /// <summary>The zoo architecture of the model the steps so far leave, or <c>null</c> before a model step.</summary>
    public string? Model { get; set; }

    /// <summary>Whether a data step came before.</summary>
    public bool HasData { get; set; }

    public RecipeRunOptions Options => options;

    /// <summary><paramref name="path"/>, absolute or relative to the recipe's folder.</summary>
    public string Resolve(string path) => recipe.Resolve(path);

    /// <summary>Throws unless a model step came before <paramref name="step"/>.</summary>
    public void NeedModel(RecipeStep step)
    {
        if (Model is null)
            throw step.Error("needs a model first: add a 'model' step before it, e.g. '- model: lenet5'.");
    }

    /// <summary>Throws unless a data step came before <paramref name="step"/>; <paramref name="why"/> says what the data is for.</summary>
    public void NeedData(RecipeStep step, string why)
    {
        if (!HasData)
            throw step.Error($"needs data {why}: add a 'data' step before it, e.g. '- data: fashion-mnist'.");
    }

    /// <summary>Throws unless <paramref name="path"/> exists or an earlier step writes it.</summary>
    public string NeedFile(RecipeStep step, string key, string path)
    {
        var full = Resolve(path);
        if (!File.Exists(full) && !_written.Contains(full))
            throw step.Error(key, $"file '{path}' does not exist (looked for {full}).");
        return full;
    }

    /// <summary>Throws unless <paramref name="path"/>'s folder exists; remembers that the file will be written.</summary>
    public void WillWrite(RecipeStep step, string key, string path)
    {
        var full = Resolve(path);
        var folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
            throw step.Error(key, $"cannot write '{path}': folder '{folder}' does not exist.");
        if (Directory.Exists(full))
            throw step.Error(key, $"cannot write '{path}': it is a folder; name a file.");
        _written.Add(full);
    }

    /// <summary>Whether an earlier step writes <paramref name="full"/> (so it cannot be inspected now).</summary>
    public bool Written(string full) => _written.Contains(full);
}
