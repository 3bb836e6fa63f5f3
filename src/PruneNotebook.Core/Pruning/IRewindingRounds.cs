namespace PruneNotebook.Core.Pruning;

/// <summary>
/// An optional capability of an <see cref="IPruningRounds"/> schedule: before each round's training the surviving
/// weights go back to their values at step <see cref="RewindStep"/> of the original training (lottery tickets).
/// <see cref="ScheduledPruning.Run"/> then first trains the dense model itself for <see cref="IPruningRounds.FineTuneEpochs"/>
/// epochs, keeping a copy of the parameters after step <see cref="RewindStep"/> (0: the initial weights).
/// </summary>
public interface IRewindingRounds : IPruningRounds
{
    /// <summary>The optimizer step of the original training whose weights each round starts from (0: initialization).</summary>
    long RewindStep { get; }
}
