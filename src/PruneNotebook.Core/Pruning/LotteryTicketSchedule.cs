namespace PruneNotebook.Core.Pruning;

/// <summary>
/// Lottery tickets by iterative magnitude pruning with rewinding (Frankle &amp; Carbin 2019; Frankle et al. 2020,
/// "Linear mode connectivity and the lottery ticket hypothesis"): train the dense network, keeping its weights at step
/// k; then, round after round, prune the same fraction of the remaining weights (round r reaches
/// 1 − (1 − s_f)^((r + 1) / rounds)), reset the survivors to their step-k values and train again at the full learning
/// rate. k = 0 is the original rewinding to initialization; a small k (a few hundred steps) works for deeper networks.
/// Run with <see cref="ScheduledPruning.Run"/> on an untrained model.
/// </summary>
/// <param name="finalSparsity">Sparsity after the last round (0..1).</param>
/// <param name="rounds">Prune → rewind → train rounds (≥ 1).</param>
/// <param name="trainEpochs">Epochs of the original training and of each round (≥ 1).</param>
/// <param name="rewindStep">The step k whose weights the survivors go back to (≥ 0).</param>
public sealed class LotteryTicketSchedule(double finalSparsity, int rounds, int trainEpochs = 1, long rewindStep = 0) : IRewindingRounds
{
    /// <inheritdoc />
    public double FinalSparsity { get; } = ScheduleChecks.Sparsity(finalSparsity, nameof(finalSparsity));

    /// <inheritdoc />
    public int Rounds { get; } = rounds >= 1 ? rounds : throw new ArgumentOutOfRangeException(nameof(rounds), rounds, "At least one round is needed.");

    /// <inheritdoc />
    public int FineTuneEpochs { get; } = trainEpochs >= 1 ? trainEpochs : throw new ArgumentOutOfRangeException(nameof(trainEpochs), trainEpochs, "At least one training epoch is needed.");

    /// <summary>Each round trains at the full learning rate.</summary>
    public double LearningRateFactor => 1;

    /// <inheritdoc />
    public long RewindStep { get; } = rewindStep >= 0 ? rewindStep : throw new ArgumentOutOfRangeException(nameof(rewindStep), rewindStep, "The rewind step cannot be negative.");

    /// <inheritdoc />
    public string Name => $"lottery ticket {FinalSparsity:P0} in {Rounds} rounds, rewound to step {RewindStep}";

    /// <inheritdoc />
    public double? TargetAt(long step) => step >= 0 && step < Rounds ? 1 - Math.Pow(1 - FinalSparsity, (step + 1.0) / Rounds) : null;
}
