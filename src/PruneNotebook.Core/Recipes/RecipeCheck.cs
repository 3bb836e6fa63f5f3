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

    /// <summary>Whether the data is text (fortunes windows) rather than images.</summary>
    public bool TextData { get; set; }

    /// <summary>Characters per window of the text data.</summary>
    public int TextContext { get; set; }

    /// <summary>The longest sequence the model reads when it reads text (token indices), else <c>null</c>.</summary>
    public long? TextModelContext { get; set; }

    /// <summary>Whether the model reads text (it starts with a token embedding).</summary>
    public bool TextModel => TextModelContext is not null;

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

    /// <summary>
    /// Throws when the model and the data, both known after <paramref name="step"/>, do not go together: a text model
    /// with images, an image model with text, or text windows longer than the model's context.
    /// </summary>
    public void MatchModelAndData(RecipeStep step)
    {
        if (Model is null || !HasData)
            return;
        if (TextModel && !TextData)
            throw step.Error("name", $"model '{Model}' reads text and the data is Fashion-MNIST images: use '- data: {DataRecipeStep.FortunesName}'.");
        if (!TextModel && TextData)
            throw step.Error("name", $"model '{Model}' classifies images and the data is {DataRecipeStep.FortunesName} text: use '- data: {DataRecipeStep.FashionMnistName}', or a text model ('- model: chargpt').");
        if (TextModel && TextContext > TextModelContext)
            throw step.Error(step is DataRecipeStep ? "context" : "name",
                $"windows of {TextContext} characters are longer than model '{Model}' reads ({TextModelContext}): use a 'context' of at most {TextModelContext} in the data step.");
    }

    /// <summary>Throws when the model or the data is text: <paramref name="step"/> works on image models only; <paramref name="instead"/> says what to do.</summary>
    public void NeedImages(RecipeStep step, string instead)
    {
        if (TextModel || TextData)
            throw step.Error($"works on the image models and Fashion-MNIST, and {(TextModel ? $"model '{Model}' reads text" : $"the data is {DataRecipeStep.FortunesName} text")}: {instead}");
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
