using PruneNotebook.Core.Optimization.Schedules;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization;

/// <summary>
/// The mutable state of one <see cref="Trainer"/> run besides the model and the optimizer: everything a checkpoint must
/// hold to resume exactly. Owns the copy of the best weights.
/// </summary>
internal sealed class TrainingRun : IDisposable
{
    /// <summary>Epochs completed so far.</summary>
    public int EpochsCompleted { get; set; }

    /// <summary>Optimizer steps taken so far.</summary>
    public long Steps { get; set; }

    /// <summary>The learning-rate schedule's metric-driven state.</summary>
    public ScheduleState ScheduleState { get; set; } = ScheduleState.Initial;

    /// <summary>Best monitored metric so far (early stopping), or <c>null</c>.</summary>
    public double? Best { get; set; }

    /// <summary>Consecutive epochs without improvement of the monitored metric.</summary>
    public int BadEpochs { get; set; }

    /// <summary>The epoch that reached <see cref="Best"/>, or <c>null</c>.</summary>
    public int? BestEpoch { get; set; }

    /// <summary>Whether early stopping ended the run.</summary>
    public bool StoppedEarly { get; set; }

    /// <summary>Metrics of the completed epochs.</summary>
    public List<EpochMetrics> Epochs { get; } = [];

    /// <summary>The learning rate of every step taken.</summary>
    public List<double> LearningRates { get; } = [];

    /// <summary>A copy of the model's state at <see cref="BestEpoch"/> (only with early stopping that restores the best).</summary>
    public Dictionary<string, Tensor> BestWeights { get; private set; } = [];

    /// <summary>Replaces the best-weights copy with the model's current state.</summary>
    public void KeepBest(nn.Module model)
    {
        using var noGrad = no_grad();
        var copy = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
        ReplaceBest(copy);
    }

    /// <summary>Takes ownership of <paramref name="weights"/> as the best-weights copy.</summary>
    public void ReplaceBest(Dictionary<string, Tensor> weights)
    {
        DisposeBest();
        BestWeights = weights;
    }

    /// <summary>Copies the best weights back into <paramref name="model"/>; returns whether there were any.</summary>
    public bool RestoreBest(nn.Module model)
    {
        if (BestWeights.Count == 0)
            return false;
        using var noGrad = no_grad();
        foreach (var (name, value) in model.state_dict())
            if (BestWeights.TryGetValue(name, out var best))
                value.copy_(best);
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => DisposeBest();

    private void DisposeBest()
    {
        foreach (var tensor in BestWeights.Values)
            tensor.Dispose();
        BestWeights = [];
    }
}
