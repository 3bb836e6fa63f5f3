namespace PruneNotebook.Core.Pruning;

/// <summary>
/// Iterative pruning (Han et al. 2015): prune, fine-tune at a tenth of the learning rate, repeat. Each of the
/// <see cref="Rounds"/> rounds removes the same fraction of the remaining weights, so that round r reaches
/// 1 − (1 − s_f)^(r / rounds). A step here is a round: round r prunes after r fine-tuning rounds.
/// </summary>
/// <param name="finalSparsity">Sparsity after the last round (0..1).</param>
/// <param name="rounds">Number of prune → fine-tune rounds (≥ 1).</param>
/// <param name="fineTuneEpochs">Epochs of fine-tuning after each pruning (≥ 1).</param>
/// <param name="learningRateFactor">Fine-tuning learning rate as a fraction of the training rate (Han: 0.1).</param>
public sealed class IterativeSchedule(double finalSparsity, int rounds, int fineTuneEpochs = 1, double learningRateFactor = 0.1) : IPruningRounds
{
    /// <inheritdoc />
    public double FinalSparsity { get; } = ScheduleChecks.Sparsity(finalSparsity, nameof(finalSparsity));

    /// <inheritdoc />
    public int Rounds { get; } = rounds >= 1 ? rounds : throw new ArgumentOutOfRangeException(nameof(rounds), rounds, "At least one round is needed.");

    /// <inheritdoc />
    public int FineTuneEpochs { get; } = fineTuneEpochs >= 1 ? fineTuneEpochs : throw new ArgumentOutOfRangeException(nameof(fineTuneEpochs), fineTuneEpochs, "At least one fine-tuning epoch is needed.");

    /// <inheritdoc />
    public double LearningRateFactor { get; } = learningRateFactor > 0 && learningRateFactor <= 1
        ? learningRateFactor
        : throw new ArgumentOutOfRangeException(nameof(learningRateFactor), learningRateFactor, "The learning-rate factor must be in (0, 1].");

    /// <inheritdoc />
    public string Name => $"iterative {FinalSparsity:P0} in {Rounds} rounds";

    /// <inheritdoc />
    public double? TargetAt(long step) => step >= 0 && step < Rounds ? 1 - Math.Pow(1 - FinalSparsity, (step + 1.0) / Rounds) : null;
}
