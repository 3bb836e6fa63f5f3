namespace PruneNotebook.Core.Pruning;

/// <summary>
/// An optional capability of an <see cref="IPruningSchedule"/>: it prunes in rounds, each followed by its own
/// fine-tuning, and its steps are rounds — <see cref="IPruningSchedule.TargetAt"/>(r) is the sparsity of round r
/// (0-based). <see cref="ScheduledPruning.Run"/> then prunes, fine-tunes for <see cref="FineTuneEpochs"/> epochs at
/// <see cref="LearningRateFactor"/> × the learning rate, and repeats; a schedule without it is stepped by optimizer steps.
/// </summary>
public interface IPruningRounds : IPruningSchedule
{
    /// <summary>Number of prune → fine-tune rounds (≥ 1).</summary>
    int Rounds { get; }

    /// <summary>Epochs of fine-tuning after each pruning (≥ 1).</summary>
    int FineTuneEpochs { get; }

    /// <summary>Fine-tuning learning rate as a fraction of the training rate, in (0, 1].</summary>
    double LearningRateFactor { get; }
}
