using PruneNotebook.Core.Persistence;

namespace PruneNotebook.Core.Recipes;

/// <summary><c>save</c>: writes the model with its pruning masks (<see cref="ModelFile.Save"/>, atomically). Written <c>- save: lenet5-pruned.bin</c>.</summary>
public sealed record SaveRecipeStep : RecipeStep
{
    internal SaveRecipeStep(RecipeSection options)
    {
        Source = options;
        File = options.Text("file", "a file name") ?? throw options.Error("file", "a save step needs 'file': where to write the model, e.g. lenet5-pruned.bin.");
    }

    /// <inheritdoc />
    public override string Kind => "save";

    /// <summary>The model file, relative to the recipe's folder.</summary>
    public string File { get; }

    internal override void Check(RecipeCheck check)
    {
        check.NeedModel(this);
        check.WillWrite(this, "file", File);
    }

    internal override RecipeStepResult Run(RecipeSession session)
    {
        var path = session.Resolve(File);
        ModelFile.Save(session.Model, path);
        return new RecipeStepResult(0, Kind, Line, $"save: wrote {File}", null);
    }
}
