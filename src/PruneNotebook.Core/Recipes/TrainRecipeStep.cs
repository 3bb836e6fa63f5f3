using System.Globalization;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Optimization.Regularization;
using PruneNotebook.Core.Optimization.Schedules;

namespace PruneNotebook.Core.Recipes;

/// <summary>
/// <c>train</c>: trains the model on the data's training split, validating on its test split (as <c>#!train</c> does
/// with a FashionMnist) unless <c>validation-fraction</c> holds out part of the training split. The options are
/// <c>#!train</c>'s with its defaults: <c>epochs</c> 5, <c>batch-size</c> 128, <c>optimizer</c> adam, <c>lr</c> 1e-3,
/// <c>momentum</c> 0.9, <c>nesterov</c>, <c>weight-decay</c> 0, <c>schedule</c>, <c>l1</c>, <c>l2</c>,
/// <c>group-lasso</c>, <c>validation-fraction</c>, <c>early-stopping</c>, <c>checkpoint</c>, <c>resume</c>, <c>seed</c> 0.
/// Pruned weights stay zero, so after a prune step this fine-tunes. On the fortunes text it trains a language model
/// with <see cref="LanguageModelTraining.Train"/> (AdamW, warm-up then cosine decay, random windows drawn from
/// <c>seed</c>): <c>steps</c> (default <see cref="LanguageModelTraining.DefaultSteps"/>) or <c>epochs</c> (passes of
/// windows, in steps), <c>batch-size</c> (default 32 windows), <c>lr</c> (default 3e-3) and <c>seed</c>; the other
/// options are the image trainer's and are refused.
/// </summary>
public sealed record TrainRecipeStep : RecipeStep
{
    internal TrainRecipeStep(RecipeSection options)
    {
        Source = options;
        Epochs = options.Integer("epochs", 1) ?? 5;
        Steps = options.Integer("steps", 1);
        if (Steps is not null && options.Wrote("epochs"))
            throw options.Error("steps", "give 'steps' or 'epochs', not both.");
        var batchSize = options.Integer("batch-size", 1) ?? 128;
        var optimizer = options.Text("optimizer", "an optimizer name")?.Trim().ToLowerInvariant() ?? "adam";
        if (!OptimizerFactory.Names.Contains(optimizer))
            throw options.Error("optimizer", $"unknown optimizer '{optimizer}': expected one of {string.Join(", ", OptimizerFactory.Names)}.");
        var lr = options.Number("lr") ?? 1e-3;
        var momentum = options.Number("momentum") ?? 0.9;
        var nesterov = options.Flag("nesterov");
        var weightDecay = options.Number("weight-decay") ?? 0;
        Schedule = options.Text("schedule", "a schedule such as cosine or step(10,0.1)");
        var l1 = options.Number("l1") ?? 0;
        var l2 = options.Number("l2") ?? 0;
        var groupLasso = options.Number("group-lasso") ?? 0;
        var fraction = options.Number("validation-fraction");
        var patience = options.Integer("early-stopping", 1);
        Checkpoint = options.Text("checkpoint", "a file name");
        Resume = options.Flag("resume");
        var seed = options.Integer("seed", 0) ?? 0;
        if (Resume && Checkpoint is null)
            throw options.Error("resume", "resume needs 'checkpoint': the file to continue from.");
        try
        {
            Options = new TrainerOptions(Epochs: Epochs, BatchSize: batchSize, LearningRate: lr, Optimizer: optimizer, Seed: seed,
                Momentum: momentum, WeightDecay: weightDecay, Nesterov: nesterov, Regularizer: Regularizers.Create(l1, l2, groupLasso),
                ValidationFraction: fraction ?? 0, EarlyStopping: patience is { } p ? new EarlyStopping(Patience: p) : null);
            Options.Validate();
            if (Schedule is not null)
                LearningRateSchedules.Parse(Schedule, Epochs, stepsPerEpoch: 100);
        }
        catch (ArgumentException e)
        {
            throw RecipeErrors.AtKey(this, e.Message, Schedule is not null && e.Message.Contains("schedule", StringComparison.OrdinalIgnoreCase) ? "schedule" : null);
        }
        HoldsOut = fraction is not null;
    }

    /// <inheritdoc />
    public override string Kind => "train";

    /// <summary>Passes over the training split.</summary>
    public int Epochs { get; }

    /// <summary>Optimizer steps of a language model on text, or <c>null</c> (then <see cref="Epochs"/> when written, else <see cref="LanguageModelTraining.DefaultSteps"/>).</summary>
    public int? Steps { get; }

    /// <summary>The options of the image trainer, which training on text does not take.</summary>
    private static readonly string[] ImageOnly =
        ["optimizer", "momentum", "nesterov", "weight-decay", "schedule", "l1", "l2", "group-lasso", "validation-fraction", "early-stopping", "checkpoint", "resume"];

    /// <summary>The trainer's options, without the schedule (made when the data's size is known) and the checkpoint.</summary>
    public TrainerOptions Options { get; }

    /// <summary>A learning-rate schedule as <c>#!train --schedule</c> writes it, or <c>null</c>.</summary>
    public string? Schedule { get; }

    /// <summary>A checkpoint file written after every epoch, relative to the recipe's folder.</summary>
    public string? Checkpoint { get; }

    /// <summary>Continue from <see cref="Checkpoint"/> when it exists.</summary>
    public bool Resume { get; }

    /// <summary>Whether validation holds out part of the training split instead of using the test split.</summary>
    public bool HoldsOut { get; }

    internal override void Check(RecipeCheck check)
    {
        check.NeedModel(this);
        check.NeedData(this, "to train on");
        if (check.TextData)
        {
            if (ImageOnly.FirstOrDefault(Source.Wrote) is { } key)
                throw Error(key, $"training on text takes steps or epochs, batch-size, lr and seed (AdamW with warm-up and cosine decay); '{key}' is for images: drop it.");
        }
        else if (Steps is not null)
        {
            throw Error("steps", $"'steps' counts a language model's steps on {DataRecipeStep.FortunesName} text: on images give 'epochs'.");
        }
        if (Checkpoint is not null)
            check.WillWrite(this, "checkpoint", Checkpoint);
    }

    internal override RecipeStepResult Run(RecipeSession session)
    {
        if (session.HasText)
            return RunOnText(session);
        var data = session.Images;
        var options = Options with { CheckpointPath = Checkpoint is null ? null : session.Resolve(Checkpoint) };
        if (Schedule is not null)
            options = options with { Schedule = LearningRateSchedules.Parse(Schedule, Epochs, options.StepsPerEpoch(data.Train.Count)) };
        var resumeFrom = Resume && options.CheckpointPath is { } path && File.Exists(path) ? path : null;
        var callbacks = session.Options.TrainingCallbacks?.Invoke(options);
        var history = new Trainer(options).Fit(session.Model, data.Train, HoldsOut ? null : data.Test,
            cancellationToken: session.Options.CancellationToken, callbacks: callbacks, resumeFrom: resumeFrom);
        var last = history.Epochs[^1];
        var c = CultureInfo.InvariantCulture;
        var validation = last.TestAccuracy is { } accuracy ? $", {(HoldsOut ? "validation" : "test")} accuracy {RecipeFigures.Percent(accuracy)}" : "";
        return new RecipeStepResult(0, Kind, Line,
            $"train: {history.Epochs.Count} epoch(s), {options.Optimizer} lr {options.LearningRate.ToString("G4", c)}, batch {options.BatchSize}, seed {options.Seed}: train loss {last.TrainLoss.ToString("F4", c)}{validation}",
            history);
    }

    private RecipeStepResult RunOnText(RecipeSession session)
    {
        var windows = session.Text.Train;
        var batch = Source.Wrote("batch-size") ? Options.BatchSize : LanguageModelTraining.DefaultBatchSize;
        var lr = Source.Wrote("lr") ? Options.LearningRate : LanguageModelTraining.DefaultLearningRate;
        var steps = LanguageModelTraining.StepsFor(Steps, Source.Wrote("epochs") ? Epochs : null, windows.Count, batch);
        var history = LanguageModelTraining.Record(session.Model, windows, steps, batch, lr, Options.Seed, session.Options.CancellationToken, session.Options.TextProgress);
        return new RecipeStepResult(0, Kind, Line, $"train: {history.Line}", history);
    }
}
