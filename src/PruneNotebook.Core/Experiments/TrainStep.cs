using System.Globalization;
using System.Text.Json.Serialization;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Optimization.Schedules;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Trains the trial's model on the training split with the <see cref="Trainer"/> (seeded by the trial's seed); pruned
/// weights stay zero, so after a prune step this is fine-tuning. Adds <c>&lt;label&gt;.loss</c> (the last epoch's
/// training loss) and <c>&lt;label&gt;.seconds</c>.
/// </summary>
/// <param name="Epochs">Passes over the training split (≥ 1).</param>
/// <param name="LearningRate">Initial learning rate (JSON <c>lr</c>).</param>
/// <param name="Optimizer">One of <see cref="OptimizerFactory.Names"/>.</param>
/// <param name="BatchSize">Mini-batch size.</param>
/// <param name="WeightDecay">Optimizer weight decay.</param>
/// <param name="Momentum">Momentum for sgd and rmsprop.</param>
/// <param name="Schedule">A learning-rate schedule as the CLI writes it (<c>cosine</c>, <c>step(10,0.1)</c>), or <c>null</c>.</param>
/// <param name="Label">Prefix of the figures; default <c>train</c>.</param>
public sealed record TrainStep(
    int Epochs = 1,
    [property: JsonPropertyName("lr")] double LearningRate = 1e-3,
    string Optimizer = "adam",
    int BatchSize = 128,
    double WeightDecay = 0,
    double Momentum = 0.9,
    string? Schedule = null,
    string Label = "train") : TrialStep
{
    internal override void Validate(DataSpec data) => Options(0, 1).Validate();

    internal override void Run(TrialContext context)
    {
        var train = context.Train;
        var options = Options(context.Seed, train.Count);
        var history = new Trainer(options).Fit(context.Model, train);
        context.Add(Label, "loss", history.Epochs[^1].TrainLoss);
        context.Add(Label, "seconds", history.Epochs.Sum(e => e.Seconds));
    }

    internal override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"train ({Label}): {Epochs} epoch(s), {Optimizer} lr {LearningRate:G4}, batch {BatchSize}{(Schedule is null ? "" : ", " + Schedule)}");

    private TrainerOptions Options(long seed, long examples)
    {
        var options = new TrainerOptions(Epochs: Epochs, BatchSize: BatchSize, LearningRate: LearningRate, Optimizer: Optimizer, Seed: seed,
            Momentum: Momentum, WeightDecay: WeightDecay);
        return Schedule is null ? options : options with { Schedule = LearningRateSchedules.Parse(Schedule, Epochs, options.StepsPerEpoch(examples)) };
    }
}
