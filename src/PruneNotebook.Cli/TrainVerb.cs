using System.CommandLine;
using System.Globalization;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Optimization.Regularization;
using PruneNotebook.Core.Optimization.Schedules;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Reports;
using Spectre.Console;
using static TorchSharp.torch;

namespace PruneNotebook.Cli;

/// <summary>
/// <c>prunenotebook train --model lenet5 [--weights in] [--save out] [--epochs 5] [--optimizer adam] [--lr 1e-3] [--schedule cosine]
/// [--l1 ..] [--l2 ..] [--early-stopping 3] [--checkpoint file [--resume]]</c> on Fashion-MNIST (validation: its test split);
/// <c>prunenotebook train --model chargpt [--data fortunes|folder] [--context 64] [--limit N] [--steps 1500 | --epochs N]
/// [--batch-size 32] [--lr 3e-3] [--seed 0]</c> on the fortunes text (AdamW, warm-up and cosine decay, as a recipe's
/// train step; then the validation perplexity).
/// </summary>
internal static class TrainVerb
{
    public static Command Create(IAnsiConsole console)
    {
        var source = new ModelDataOptions();
        var (model, weights, data, limit, context) = (source.Model, source.Weights, source.Data, source.Limit, source.Context);
        var save = CommonOptions.Save("the trained model");
        var epochs = new Option<int>("--epochs") { Description = "Epochs (on text: passes of windows, counted in steps).", DefaultValueFactory = _ => 5 };
        var steps = new Option<int?>("--steps") { Description = $"On text: optimizer steps (default {LanguageModelTraining.DefaultSteps})." };
        var batchSize = new Option<int>("--batch-size") { Description = $"Mini-batch size (default 128; on text {LanguageModelTraining.DefaultBatchSize} windows).", DefaultValueFactory = _ => 128 };
        var optimizer = new Option<string>("--optimizer") { Description = $"One of {string.Join(", ", OptimizerFactory.Names)}.", DefaultValueFactory = _ => "adam" };
        var lr = new Option<double>("--lr") { Description = $"Initial learning rate (default 1e-3; on text {LanguageModelTraining.DefaultLearningRate.ToString(CultureInfo.InvariantCulture)}, the peak).", DefaultValueFactory = _ => 1e-3 };
        var momentum = new Option<double>("--momentum") { Description = "Momentum for sgd and rmsprop.", DefaultValueFactory = _ => 0.9 };
        var nesterov = new Option<bool>("--nesterov") { Description = "Nesterov momentum (sgd)." };
        var weightDecay = new Option<double>("--weight-decay") { Description = "Optimizer weight decay (decoupled for adamw)." };
        var schedule = new Option<string?>("--schedule") { Description = "Learning-rate schedule, e.g. cosine, step(10,0.1), warmup(500)+cosine, onecycle(0.01), plateau(0.5,2)." };
        var l1 = new Option<double>("--l1") { Description = "L1 penalty λ·Σ|w| on every Linear/Conv weight." };
        var l2 = new Option<double>("--l2") { Description = "L2 penalty (λ/2)·Σw² (with --l1: Elastic Net)." };
        var groupLasso = new Option<double>("--group-lasso") { Description = "Group-lasso penalty over output units." };
        var earlyStopping = new Option<int?>("--early-stopping") { Description = "Patience in epochs; restores the best weights." };
        var validationFraction = new Option<double?>("--validation-fraction") { Description = "Validate on this fraction of the training images instead of the test split." };
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "Checkpoint written atomically after every epoch." };
        var resume = new Option<bool>("--resume") { Description = "Continue from --checkpoint when it exists." };
        var seed = new Option<long>("--seed") { Description = "Seed for initialization, shuffling and dropout." };
        var command = new Command("train", "Train a built-in model on Fashion-MNIST with an optimizer, schedule, penalty, early stopping and checkpoints, or chargpt on the fortunes text.")
        {
            save, epochs, steps, batchSize, optimizer, lr, momentum, nesterov, weightDecay, schedule, l1, l2, groupLasso,
            earlyStopping, validationFraction, checkpoint, resume, seed,
        };
        source.AddTo(command);
        var output = new OutputOptions();
        output.AddTo(command);
        command.SetAction(parsed =>
        {
            var result = output.Open(parsed, console, "train");
            var checkpointFile = parsed.GetValue(checkpoint);
            if (parsed.GetValue(resume) && checkpointFile is null)
                throw new ArgumentException("--resume needs --checkpoint <file>.");
            var options = new TrainerOptions(
                Epochs: parsed.GetValue(epochs),
                BatchSize: parsed.GetValue(batchSize),
                LearningRate: parsed.GetValue(lr),
                Optimizer: parsed.GetValue(optimizer)!,
                Seed: parsed.GetValue(seed),
                Momentum: parsed.GetValue(momentum),
                WeightDecay: parsed.GetValue(weightDecay),
                Nesterov: parsed.GetValue(nesterov),
                Regularizer: Regularizers.Create(parsed.GetValue(l1), parsed.GetValue(l2), parsed.GetValue(groupLasso)),
                ValidationFraction: parsed.GetValue(validationFraction) ?? 0,
                EarlyStopping: parsed.GetValue(earlyStopping) is { } patience ? new EarlyStopping(Patience: patience) : null,
                CheckpointPath: checkpointFile?.FullName);
            options.Validate();
            CommonOptions.CheckWritable(parsed.GetValue(save));
            TorchSharp.torch.manual_seed(options.Seed);
            using var network = CommonOptions.LoadModel(parsed.GetValue(model)!, parsed.GetValue(weights));
            if (CliData.Check(network, parsed.GetValue(model)!, parsed.GetValue(data), parsed.GetValue(limit), parsed.GetValue(context)))
            {
                Option[] imageOnly = [optimizer, momentum, nesterov, weightDecay, schedule, l1, l2, groupLasso, earlyStopping, validationFraction, checkpoint, resume];
                if (imageOnly.FirstOrDefault(o => parsed.GetResult(o) is { Implicit: false }) is { } stray)
                    throw new ArgumentException($"Training on text takes --steps or --epochs, --batch-size, --lr and --seed (AdamW with warm-up and cosine decay); {stray.Name} is for images: drop it.");
                if (parsed.GetValue(steps) is not null && parsed.GetResult(epochs) is { Implicit: false })
                    throw new ArgumentException("Give --steps or --epochs, not both.");
                return TrainText(result, network, parsed.GetValue(model)!, parsed.GetValue(data), parsed.GetValue(limit), parsed.GetValue(context),
                    parsed.GetValue(steps), parsed.GetResult(epochs) is { Implicit: false } ? options.Epochs : null,
                    parsed.GetResult(batchSize) is { Implicit: false } ? options.BatchSize : LanguageModelTraining.DefaultBatchSize,
                    parsed.GetResult(lr) is { Implicit: false } ? options.LearningRate : LanguageModelTraining.DefaultLearningRate, options.Seed, parsed.GetValue(save));
            }
            if (parsed.GetValue(steps) is not null)
                throw new ArgumentException($"--steps counts a language model's steps on text (--model chargpt): on images give --epochs.");
            using var fashion = CommonOptions.LoadData(parsed.GetValue(data), parsed.GetValue(limit));
            var validation = parsed.GetValue(validationFraction) is null ? fashion.Test : null;
            if (parsed.GetValue(schedule) is { } spec)
                options = options with { Schedule = LearningRateSchedules.Parse(spec, options.Epochs, options.StepsPerEpoch(fashion.Train.Count)) };
            var trainer = new Trainer(options);
            result.Write(Settings(trainer.Plan(network, fashion.Train, validation)));
            var resumeFrom = parsed.GetValue(resume) && checkpointFile!.Exists ? checkpointFile.FullName : null;
            var history = trainer.Fit(network, fashion.Train, validation, callbacks: [new EpochLines(result)], resumeFrom: resumeFrom);
            result.Write(Tables.History(history));
            if (parsed.GetValue(save) is { } file)
            {
                ModelFile.Save(network, file.FullName);
                result.Line($"saved {file.FullName}");
            }
            result.Finish(history, $"prunenotebook train · {history.ModelName}", history);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Trains a language model on text for <paramref name="steps"/> steps, or <paramref name="epochs"/> passes of the
    /// training windows, or the default steps; then shows its validation perplexity.
    /// </summary>
    private static int TrainText(CliOutput result, nn.Module<Tensor, Tensor> network, string name, string? data, int? limit, int? context,
        int? steps, int? epochs, int batchSize, double lr, long seed, FileInfo? save)
    {
        using var text = CliData.Load(network, name, data, limit, context);
        var windows = text.Text!.Train;
        var count = LanguageModelTraining.StepsFor(steps, epochs, windows.Count, batchSize);
        result.Line(string.Format(CultureInfo.InvariantCulture, "training {0} on {1:N0} windows of {2} characters", network.GetType().Name, windows.Count, windows.Features.shape[1]));
        var history = LanguageModelTraining.Record(network, windows, count, batchSize, lr, seed, progress: result.Json ? null : new StepLines(result.Line));
        var validation = LanguageModelTraining.Evaluate(network, text.Text.Validation);
        result.Line(string.Format(CultureInfo.InvariantCulture, "{0} · {1:F1} s", history.Line, history.Seconds));
        result.Line("validation " + validation.Line);
        if (save is not null)
        {
            ModelFile.Save(network, save.FullName);
            result.Line($"saved {save.FullName}");
        }
        result.Finish(new { history, validation, saved = save?.FullName }, $"prunenotebook train · {network.GetType().Name}", history, validation);
        return 0;
    }

    private static Table Settings(TrainingPlan plan)
    {
        var table = new Table().Title($"Training {plan.ModelName} on {plan.TrainExamples:N0} images, validating on {plan.ValidationExamples:N0}").AddColumns("setting", "value");
        foreach (var (name, value) in plan.Settings)
            table.AddRow(Markup.Escape(name), Markup.Escape(value));
        return table;
    }

    /// <summary>One line per finished epoch, as training goes.</summary>
    private sealed class EpochLines(CliOutput output) : ITrainingCallback
    {
        public bool OnEpochEnd(EpochMetrics metrics)
        {
            var c = CultureInfo.InvariantCulture;
            output.Line(string.Format(c, "epoch {0}: train loss {1:F4}{2} · {3:F1} s", metrics.Epoch, metrics.TrainLoss,
                metrics.TestAccuracy is { } accuracy ? $" · val acc {Tables.Percent(accuracy)}" : "", metrics.Seconds));
            return true;
        }
    }
}
