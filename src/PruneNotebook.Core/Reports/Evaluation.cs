namespace PruneNotebook.Core.Reports;

/// <summary>A classifier's loss and accuracy on a dataset.</summary>
/// <param name="Loss">Mean cross-entropy.</param>
/// <param name="Accuracy">Fraction (0..1) of examples whose arg-max logit is the label.</param>
/// <param name="Count">Number of examples evaluated.</param>
public sealed record Evaluation(double Loss, double Accuracy, long Count);
