using System.Globalization;

namespace PruneNotebook.Core.Reports;

/// <summary>One run of <see cref="Optimization.LanguageModelTraining.Train"/>: its settings and the training loss of every step.</summary>
/// <param name="ModelName">The trained model's type name.</param>
/// <param name="BatchSize">Windows per step.</param>
/// <param name="Context">Characters (tokens) per window.</param>
/// <param name="LearningRate">Peak learning rate (AdamW, warm-up then cosine decay).</param>
/// <param name="Seed">Seed of the batch order.</param>
/// <param name="Losses">Training cross-entropy (nats per character) of each step, in order.</param>
/// <param name="Seconds">Wall-clock time of the run.</param>
public sealed record LanguageModelHistory(string ModelName, int BatchSize, long Context, double LearningRate, long Seed, IReadOnlyList<double> Losses, double Seconds)
{
    /// <summary>Optimizer steps taken.</summary>
    public int Steps => Losses.Count;

    /// <summary>Steps the <see cref="FinalLoss"/> averages: the last tenth of the run (at least one).</summary>
    public int FinalSteps => Math.Max(1, Steps / 10);

    /// <summary>Mean training loss of the last <see cref="FinalSteps"/> steps (single steps are noisy); NaN without steps.</summary>
    public double FinalLoss => Steps == 0 ? double.NaN : Losses.TakeLast(FinalSteps).Average();

    /// <summary>One line, the same in every host: <c>400 steps of 32 windows of 64 characters, adamw lr 0.003 (warm-up, cosine), seed 0: train loss 2.5410 (mean of the last 40 steps)</c>.</summary>
    public string Line => string.Format(CultureInfo.InvariantCulture,
        "{0:N0} steps of {1} windows of {2} characters, adamw lr {3:G4} (warm-up, cosine), seed {4}: train loss {5:F4} (mean of the last {6} steps)",
        Steps, BatchSize, Context, LearningRate, Seed, FinalLoss, FinalSteps);
}
