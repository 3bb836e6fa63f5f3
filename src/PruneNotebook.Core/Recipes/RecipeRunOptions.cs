using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Core.Recipes;

/// <summary>What a host (the CLI, the notebook extension) lends a running recipe.</summary>
public sealed record RecipeRunOptions
{
    /// <summary>Called before each step starts (e.g. to print its line of YAML).</summary>
    public Action<RecipeStep>? StepStarting { get; init; }

    /// <summary>Called with each step's result as soon as it is known (e.g. to display its record).</summary>
    public Action<RecipeStepResult>? StepFinished { get; init; }

    /// <summary>Callbacks for a train step (live progress); <c>null</c> for none.</summary>
    public Func<TrainerOptions, IReadOnlyList<ITrainingCallback>>? TrainingCallbacks { get; init; }

    /// <summary>Told after every tenth of a train step's steps on text (<see cref="LanguageModelTraining.Train"/>); <c>null</c> for none.</summary>
    public IProgress<LanguageModelProgress>? TextProgress { get; init; }

    /// <summary>
    /// Renders the results so far as one HTML page for a <c>report</c> step (title, results). A host without it refuses
    /// recipes with a report step before anything runs.
    /// </summary>
    public Func<string, IReadOnlyList<RecipeStepResult>, string>? RenderReport { get; init; }

    /// <summary>
    /// Receives the model the last step left, when the run ends; the caller then owns it (without this, the run
    /// disposes it).
    /// </summary>
    public Action<TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>>? KeepModel { get; init; }

    /// <summary>Stops a long step (training) at the next batch.</summary>
    public CancellationToken CancellationToken { get; init; }
}
