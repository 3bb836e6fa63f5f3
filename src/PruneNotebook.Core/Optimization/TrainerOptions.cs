namespace PruneNotebook.Core.Optimization;

/// <summary>Hyperparameters of a <see cref="Trainer"/> run.</summary>
/// <param name="Epochs">Passes over the training set (≥ 1).</param>
/// <param name="BatchSize">Mini-batch size (≥ 1).</param>
/// <param name="LearningRate">Step size (&gt; 0).</param>
/// <param name="Optimizer">One of <see cref="OptimizerFactory.Names"/>.</param>
/// <param name="Seed">Seeds batch shuffling and any randomness in the model (dropout).</param>
/// <param name="Momentum">Momentum for SGD and RMSprop (0..1).</param>
/// <param name="WeightDecay">L2 weight decay (≥ 0); decoupled for AdamW.</param>
public sealed record TrainerOptions(
    int Epochs = 2,
    int BatchSize = 128,
    double LearningRate = 1e-3,
    string Optimizer = "adam",
    long Seed = 0,
    double Momentum = 0.9,
    double WeightDecay = 0)
{
    /// <summary>Checks every option and throws on the first that is out of range.</summary>
    /// <exception cref="ArgumentException">An option is out of range or the optimizer is unknown (the message says which and what is expected).</exception>
    public void Validate()
    {
        if (Epochs < 1)
            throw new ArgumentException($"Epochs must be at least 1, got {Epochs}.", nameof(Epochs));
        if (BatchSize < 1)
            throw new ArgumentException($"Batch size must be at least 1, got {BatchSize}.", nameof(BatchSize));
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentException($"Learning rate must be a positive number, got {LearningRate}.", nameof(LearningRate));
        if (!(Momentum >= 0 && Momentum < 1))
            throw new ArgumentException($"Momentum must be in [0, 1), got {Momentum}.", nameof(Momentum));
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
            throw new ArgumentException($"Weight decay must be zero or positive, got {WeightDecay}.", nameof(WeightDecay));
        OptimizerFactory.Validate(Optimizer);
    }
}
