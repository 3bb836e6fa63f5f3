using PruneNotebook.Core.Optimization;

namespace PruneNotebook.Core.Experiments;

/// <summary>Evaluates the trial's model on the test split: adds <c>&lt;label&gt;.accuracy</c> (top-1, 0..1) and <c>&lt;label&gt;.loss</c>.</summary>
/// <param name="Label">Prefix of the figures, e.g. <c>dense</c>, <c>pruned</c>, <c>finetuned</c>.</param>
public sealed record EvaluateStep(string Label = "test") : TrialStep
{
    internal override void Validate(DataSpec data) => TrialContext.CheckLabel(Label);

    internal override void Run(TrialContext context)
    {
        var evaluation = Trainer.Evaluate(context.Model, context.Test);
        context.Add(Label, "accuracy", evaluation.Accuracy);
        context.Add(Label, "loss", evaluation.Loss);
    }

    internal override string Describe() => $"evaluate ({Label})";
}
