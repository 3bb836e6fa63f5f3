using System.Globalization;

namespace PruneNotebook.Core.Reports;

/// <summary>What one training epoch measured.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean data cross-entropy over the epoch's training batches (weighted by batch size; the penalty is not included).</param>
/// <param name="TestLoss">Mean cross-entropy on the validation (evaluation) set after the epoch, or <c>null</c> without one.</param>
/// <param name="TestAccuracy">Fraction (0..1) of the validation set classified correctly, or <c>null</c> without one.</param>
/// <param name="Seconds">Wall time of the epoch's training (evaluation excluded).</param>
/// <param name="LearningRate">Learning rate of the epoch's last optimizer step.</param>
/// <param name="TrainAccuracy">Fraction (0..1) of the training batches classified correctly while training, or <c>null</c> when not measured.</param>
/// <param name="Penalty">Mean regularization penalty over the epoch's steps (0 without a regularizer).</param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double? TestLoss,
    double? TestAccuracy,
    double Seconds,
    double LearningRate,
    double? TrainAccuracy = null,
    double Penalty = 0)
{
    /// <summary>One line: <c>epoch 2/4: train loss 0.4012, validation accuracy 86.10 % (3.2 s)</c>.</summary>
    /// <param name="epochs">The run's planned epochs.</param>
    public string Line(int epochs)
    {
        var c = CultureInfo.InvariantCulture;
        var validation = TestAccuracy is { } accuracy ? $", validation accuracy {(100 * accuracy).ToString("F2", c)} %" : "";
        return $"epoch {Epoch}/{epochs}: train loss {TrainLoss.ToString("F4", c)}{validation} ({Seconds.ToString("F1", c)} s)";
    }
}
