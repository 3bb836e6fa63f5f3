using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Formatting;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Interactive;

/// <summary>
/// <c>#!train</c>: trains a model with a learning-curve chart that updates in place while training runs (at most once a
/// second and within 3 % of the training time, see <see cref="LiveTrainingFeed"/>), then leaves the final history in that
/// same output.
/// </summary>
internal static class TrainMagic
{
    private const string Example = "#!train model --data data --optimizer adam --lr 1e-3 --epochs 5";

    public static void Register(CSharpKernel csharp)
    {
        var directive = new KernelActionDirective("#!train")
        {
            Description = "Train a model with a live learning curve: optimizer, schedule, regularization, early stopping, checkpoints.",
            Parameters =
            {
                KernelVariables.ModelParameter(csharp),
                DataParameter(csharp, "--data", "Training data: a TensorDataset, or a FashionMnist (its train split; its test split validates).", required: true),
                DataParameter(csharp, "--validation", "Validation data: a TensorDataset or FashionMnist (test split). Default: a FashionMnist's test split, else none."),
                new KernelDirectiveParameter("--validation-fraction", "Hold out this fraction of the training data for validation (e.g. 0.1) when there is no validation set."),
                new KernelDirectiveParameter("--optimizer", $"One of {string.Join(", ", OptimizerFactory.Names)} (default adam).").AddCompletions(() => OptimizerFactory.Names),
                new KernelDirectiveParameter("--lr", "Initial learning rate (default 1e-3)."),
                new KernelDirectiveParameter("--epochs", "Epochs (default 5)."),
                new KernelDirectiveParameter("--batch-size", "Mini-batch size (default 128)."),
                new KernelDirectiveParameter("--momentum", "Momentum for sgd and rmsprop (default 0.9)."),
                new KernelDirectiveParameter("--nesterov", "Nesterov momentum (sgd).") { Flag = true },
                new KernelDirectiveParameter("--weight-decay", "Optimizer weight decay (coupled; decoupled for adamw)."),
                new KernelDirectiveParameter("--schedule", TrainSettings.ScheduleHelp),
                new KernelDirectiveParameter("--l1", "L1 penalty λ·Σ|w| on every Linear/Conv weight."),
                new KernelDirectiveParameter("--l2", "L2 penalty (λ/2)·Σw² on every Linear/Conv weight (with --l1: Elastic Net)."),
                new KernelDirectiveParameter("--group-lasso", "Group-lasso penalty over output units (rows, filters): prepares channel pruning."),
                new KernelDirectiveParameter("--early-stopping", "Patience in epochs: stop when validation loss has not improved for this long, restore the best weights."),
                new KernelDirectiveParameter("--checkpoint", "File written atomically after every epoch (model, optimizer, schedule, history)."),
                new KernelDirectiveParameter("--resume", "Continue from --checkpoint when it exists.") { Flag = true },
                new KernelDirectiveParameter("--seed", "Seed for shuffling, the validation split and dropout (default 0)."),
                new KernelDirectiveParameter("--history", "C# variable to store the resulting TrainingHistory in."),
                RecipeLine.Parameter(),
            },
        };
        csharp.AddDirective<TrainCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            KernelVariables.CheckNewName(command.History, "--history");
            var model = KernelVariables.GetModule(csharp, command.Model, Example);
            var (train, defaultValidation) = KernelVariables.GetTrainingData(csharp, command.Data ?? "", Example);
            var validation = string.IsNullOrWhiteSpace(command.Validation)
                ? (command.ValidationFraction is null ? defaultValidation : null)
                : KernelVariables.GetDataset(csharp, command.Validation, Example);
            var options = TrainSettings.Options(command, train.Count);
            var resumeFrom = command.Resume
                ? (options.CheckpointPath is { } path ? (File.Exists(path) ? path : null) : throw new UsageException("--resume needs --checkpoint <path>."))
                : null;
            var trainer = new Trainer(options);
            context.Display(trainer.Plan(model, train, validation), "text/html");
            DisplayedValue? display = null;
            var live = new LiveTrainingFeed(options, model.GetType().Name, status =>
            {
                if (display is null)
                    display = context.Display(status, "text/html");
                else
                    display.Update(status);
            });
            try
            {
                var history = trainer.Fit(model, train, validation, callbacks: [live], cancellationToken: context.CancellationToken, resumeFrom: resumeFrom);
                live.Finish(history);
                if (!string.IsNullOrWhiteSpace(command.History))
                    csharp.SetValueAsync(command.History.Trim(), history, typeof(TrainingHistory)).GetAwaiter().GetResult();
                // --data and --validation name notebook variables; a recipe's data step gives both (its test split validates).
                RecipeLine.Show(context, command.ShowRecipe, "train", ("epochs", command.Epochs), ("batch-size", command.BatchSize), ("optimizer", command.Optimizer),
                    ("lr", command.Lr), ("momentum", command.Momentum), ("nesterov", Core.Recipes.RecipeText.Flag(command.Nesterov)),
                    ("weight-decay", command.WeightDecay), ("schedule", command.Schedule), ("l1", command.L1), ("l2", command.L2),
                    ("group-lasso", command.GroupLasso), ("validation-fraction", command.ValidationFraction), ("early-stopping", command.EarlyStopping),
                    ("checkpoint", command.Checkpoint), ("resume", Core.Recipes.RecipeText.Flag(command.Resume)), ("seed", command.Seed));
            }
            catch (OperationCanceledException)
            {
                live.Cancelled();
                throw new UsageException("Training was interrupted; the model keeps the weights of the last completed step.");
            }
        }));
    }

    private static KernelDirectiveParameter DataParameter(CSharpKernel csharp, string name, string description, bool required = false) =>
        new KernelDirectiveParameter(name, description) { Required = required }
            .AddCompletions(() => KernelVariables.Names<TensorDataset>(csharp).Concat(KernelVariables.Names<FashionMnist>(csharp)));
}
