using PruneNotebook.Core.Optimization.Regularization;
using PruneNotebook.Core.Optimization.Schedules;

namespace PruneNotebook.Core.Optimization;

/// <summary>Hyperparameters of a <see cref="Trainer"/> run. Every option is checked by <see cref="Validate"/> before any training starts.</summary>
/// <param name="Epochs">Passes over the training set (≥ 1).</param>
/// <param name="BatchSize">Mini-batch size (≥ 1). With the <c>gd</c> optimizer it only bounds memory: gradients are accumulated over the whole set and one step is taken per epoch.</param>
/// <param name="LearningRate">Initial step size (&gt; 0); a <see cref="Schedule"/> scales it over time.</param>
/// <param name="Optimizer">One of <see cref="OptimizerFactory.Names"/>.</param>
/// <param name="Seed">Seeds batch shuffling, the validation split and any randomness in the model (dropout).</param>
/// <param name="Momentum">Momentum for SGD and RMSprop (0..1).</param>
/// <param name="WeightDecay">Weight decay (≥ 0) as the optimizer applies it: coupled (an L2 gradient term) for SGD, RMSprop, AdaGrad and Adam; decoupled for AdamW.</param>
/// <param name="Nesterov">Nesterov momentum for SGD (needs <see cref="Momentum"/> &gt; 0).</param>
/// <param name="Beta1">Adam/AdamW first-moment decay (0..1).</param>
/// <param name="Beta2">Adam/AdamW second-moment decay (0..1).</param>
/// <param name="Schedule">Learning-rate schedule, or <c>null</c> for a fixed rate.</param>
/// <param name="Regularizer">Penalty added to the loss (L1, L2, Elastic Net, group lasso), or <c>null</c>.</param>
/// <param name="RegularizedParameters">Qualified names (<c>fc1.weight</c>) the regularizer applies to; <c>null</c>: every weight of every Linear and Conv2d (biases excluded).</param>
/// <param name="ValidationFraction">Fraction of the training set held out for validation (0 ≤ f &lt; 1) when no validation set is given.</param>
/// <param name="EarlyStopping">Stop when the validation metric stops improving, or <c>null</c> to run every epoch.</param>
/// <param name="CheckpointPath">File written atomically after every epoch (model, optimizer, schedule, RNG, history), or <c>null</c>.</param>
public sealed record TrainerOptions(
    int Epochs = 2,
    int BatchSize = 128,
    double LearningRate = 1e-3,
    string Optimizer = "adam",
    long Seed = 0,
    double Momentum = 0.9,
    double WeightDecay = 0,
    bool Nesterov = false,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    ILearningRateSchedule? Schedule = null,
    IRegularizer? Regularizer = null,
    IReadOnlyList<string>? RegularizedParameters = null,
    double ValidationFraction = 0,
    EarlyStopping? EarlyStopping = null,
    string? CheckpointPath = null)
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
        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1))
            throw new ArgumentException($"Adam's betas must be in [0, 1), got ({Beta1}, {Beta2}).", nameof(Beta1));
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            throw new ArgumentException($"Validation fraction must be in [0, 1), got {ValidationFraction}.", nameof(ValidationFraction));
        if (RegularizedParameters is { Count: 0 })
            throw new ArgumentException("Regularized parameters must name at least one parameter, or be null for every weight.", nameof(RegularizedParameters));
        OptimizerFactory.Validate(Optimizer);
        if (Nesterov && (Momentum == 0 || !IsSgd))
            throw new ArgumentException($"Nesterov momentum needs the sgd optimizer and a momentum above 0, got optimizer '{Optimizer}' with momentum {Momentum}.", nameof(Nesterov));
        EarlyStopping?.Validate();
        if (CheckpointPath is not null)
            CheckpointFile.ValidatePath(CheckpointPath);
    }

    /// <summary>
    /// Optimizer steps in one epoch over <paramref name="trainExamples"/> examples once the validation fraction is held
    /// out: one for full-batch <c>gd</c>, otherwise the number of mini-batches.
    /// </summary>
    public long StepsPerEpoch(long trainExamples)
    {
        var held = HeldOut(trainExamples);
        return OptimizerFactory.IsFullBatch(Optimizer) ? 1 : Math.Max(1, (trainExamples - held + BatchSize - 1) / Math.Max(1, BatchSize));
    }

    /// <summary>Examples of a training set of <paramref name="trainExamples"/> held out by <see cref="ValidationFraction"/> (rounded half to even).</summary>
    public long HeldOut(long trainExamples) => (long)Math.Round(trainExamples * Math.Clamp(ValidationFraction, 0, 1), MidpointRounding.ToEven);

    /// <summary>The optimizer name, trimmed and lower case.</summary>
    public string OptimizerName => Optimizer.Trim().ToLowerInvariant();

    private bool IsSgd => OptimizerName == "sgd";
}
