using PruneNotebook.Core.Analysis;

namespace PruneNotebook.Core.Recipes;

/// <summary><c>summary</c>: the network summary <c>#!summary</c> shows (per layer: output shape, parameters, MACs, dense and nonzero).</summary>
public sealed record SummaryRecipeStep : RecipeStep
{
    internal SummaryRecipeStep(RecipeSection options) => Source = options;

    /// <inheritdoc />
    public override string Kind => "summary";

    internal override void Check(RecipeCheck check) => check.NeedModel(this);

    internal override RecipeStepResult Run(RecipeSession session)
    {
        var model = session.Model;
        var shape = InputShapes.Infer(model) ?? throw Error("the model does not say its input shape.");
        var summary = NetworkSummary.Create(model, shape);
        return new RecipeStepResult(0, Kind, Line,
            $"summary: {RecipeFigures.Count(summary.TotalParameters)} parameters ({RecipeFigures.Count(summary.TotalNonzeroParameters)} nonzero), "
            + $"{RecipeFigures.Count(summary.TotalMacs)} MACs ({RecipeFigures.Count(summary.TotalNonzeroMacs)} with nonzero weights)",
            summary);
    }
}
