using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Optimization.Regularization;
using PruneNotebook.Core.Optimization.Schedules;

namespace PruneNotebook.Interactive;

/// <summary>Turns <c>#!train</c>'s options into <see cref="TrainerOptions"/>, with one-line errors that name the option.</summary>
internal static class TrainSettings
{
    public const string ScheduleHelp =
        "Learning-rate schedule: fixed, step(10,0.1), multistep(5;8,0.1), exponential(0.9), cosine, cosine-restarts(5,2), warmup(500)+cosine, onecycle(0.01), plateau(0.5,2).";

    /// <summary>The trainer options for <paramref name="command"/>, for a training set of <paramref name="trainCount"/> examples.</summary>
    /// <exception cref="UsageException">An option is malformed or out of range.</exception>
    public static TrainerOptions Options(TrainCommand command, long trainCount)
    {
        var epochs = MagicArguments.Integer("--epochs", command.Epochs, 5);
        var batchSize = MagicArguments.Integer("--batch-size", command.BatchSize, 128);
        var optimizer = string.IsNullOrWhiteSpace(command.Optimizer) ? "adam" : command.Optimizer.Trim().ToLowerInvariant();
        var fraction = MagicArguments.Number("--validation-fraction", command.ValidationFraction, 0);
        var patience = command.EarlyStopping is null ? (int?)null : MagicArguments.Integer("--early-stopping", command.EarlyStopping, 3);
        var options = new TrainerOptions(
            Epochs: epochs,
            BatchSize: batchSize,
            LearningRate: MagicArguments.Number("--lr", command.Lr, 1e-3),
            Optimizer: optimizer,
            Seed: MagicArguments.Integer("--seed", command.Seed, 0),
            Momentum: MagicArguments.Number("--momentum", command.Momentum, 0.9),
            WeightDecay: MagicArguments.Number("--weight-decay", command.WeightDecay, 0),
            Nesterov: command.Nesterov,
            Regularizer: Regularizer(command),
            ValidationFraction: fraction,
            EarlyStopping: patience is { } p ? new EarlyStopping(Patience: p) : null,
            CheckpointPath: string.IsNullOrWhiteSpace(command.Checkpoint) ? null : command.Checkpoint.Trim());
        if (!string.IsNullOrWhiteSpace(command.Schedule) && epochs >= 1)
        {
            try
            {
                options = options with { Schedule = LearningRateSchedules.Parse(command.Schedule, epochs, options.StepsPerEpoch(trainCount)) };
            }
            catch (ArgumentException e)
            {
                throw new UsageException("--schedule: " + MagicHandler.OneLine(e.Message));
            }
        }
        return options;
    }

    private static IRegularizer? Regularizer(TrainCommand command) => Regularizers.Create(
        MagicArguments.Number("--l1", command.L1, 0),
        MagicArguments.Number("--l2", command.L2, 0),
        MagicArguments.Number("--group-lasso", command.GroupLasso, 0));
}
