namespace PruneNotebook.Core.Recipes;

/// <summary>
/// One step of a <see cref="Recipe"/>: <c>model</c>, <c>data</c>, <c>train</c>, <c>prune</c>, <c>compress</c>, <c>trim</c>,
/// <c>drop-layers</c>, <c>fold-bn</c>, <c>evaluate</c>, <c>summary</c>, <c>save</c> or <c>report</c>. Its options are
/// the matching magic command's, with the same names (without <c>--</c>) and defaults.
/// </summary>
public abstract record RecipeStep
{
    /// <summary>The step's kind as written in a recipe, e.g. <c>prune</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Where the step is written: the recipe file, the step's line and the line of every key given.</summary>
    internal RecipeSection Source { get; init; } = null!;

    /// <summary>1-based line of the step in its recipe.</summary>
    public int Line => Source.Line;

    /// <summary>Checks the step against what the steps before it provide (a model, data, files); throws <see cref="RecipeException"/>.</summary>
    internal abstract void Check(RecipeCheck check);

    /// <summary>Runs the step and returns what it shows.</summary>
    internal abstract RecipeStepResult Run(RecipeSession session);

    /// <summary>The step as one line of YAML with its options as written, e.g. <c>- prune: {amount: 0.9, scope: global}</c>.</summary>
    public string ToYaml() => RecipeText.Step(Kind, Source.Pairs);

    /// <summary>An error about <paramref name="key"/> of this step, at its line.</summary>
    internal RecipeException Error(string key, string problem) => Source.Error(key, problem);

    /// <summary>An error about the step as a whole, at its line.</summary>
    internal RecipeException Error(string problem) => new(Source.File, Source.Line, Kind, problem);
}
