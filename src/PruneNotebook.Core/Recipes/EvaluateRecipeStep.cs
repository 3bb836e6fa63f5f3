using PruneNotebook.Core.Optimization;

namespace PruneNotebook.Core.Recipes;

/// <summary>
/// <c>evaluate</c>: the model's top-1 accuracy and loss on the data's test split (<see cref="Trainer.Evaluate"/>), or,
/// on the fortunes text, a language model's validation perplexity and bits per character
/// (<see cref="LanguageModelTraining.Evaluate"/>).
/// </summary>
public sealed record EvaluateRecipeStep : RecipeStep
{
    internal EvaluateRecipeStep(RecipeSection options) => Source = options;

    /// <inheritdoc />
    public override string Kind => "evaluate";

    internal override void Check(RecipeCheck check)
    {
        check.NeedModel(this);
        check.NeedData(this, "to evaluate on");
    }

    internal override RecipeStepResult Run(RecipeSession session)
    {
        if (session.HasText)
        {
            var text = LanguageModelTraining.Evaluate(session.Model, session.Text.Validation);
            return new RecipeStepResult(0, Kind, Line,
                $"evaluate: validation {text.Line}",
                text);
        }
        var evaluation = Trainer.Evaluate(session.Model, session.Images.Test);
        return new RecipeStepResult(0, Kind, Line,
            $"evaluate: test accuracy {RecipeFigures.Percent(evaluation.Accuracy)}, loss {evaluation.Loss.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)} on {RecipeFigures.Count(evaluation.Count)} images",
            evaluation);
    }
}
