using System.Globalization;

namespace PruneNotebook.Core.Reports;

/// <summary>Where a language model's training is: reported by <see cref="Optimization.LanguageModelTraining.Train"/> after every tenth of its steps.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="Steps">Steps planned.</param>
/// <param name="Loss">Mean training loss of the steps since the previous report.</param>
/// <param name="LearningRate">The learning rate of the latest step.</param>
/// <param name="Seconds">Time since training started.</param>
public sealed record LanguageModelProgress(int Step, int Steps, double Loss, double LearningRate, double Seconds)
{
    /// <summary>One line: <c>step 150/1500: train loss 2.6012, lr 0.002988 (4.8 s)</c>.</summary>
    public string Line => string.Format(CultureInfo.InvariantCulture, "step {0}/{1}: train loss {2:F4}, lr {3:G4} ({4:F1} s)", Step, Steps, Loss, LearningRate, Seconds);
}
