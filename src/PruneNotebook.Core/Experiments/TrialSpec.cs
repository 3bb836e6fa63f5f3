using PruneNotebook.Core.Models;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// One self-contained trial: a model, its data, a seed and the steps to run. A worker process rebuilds the model from its
/// name (weights from the seed, or loaded by a <see cref="LoadStep"/>), loads the data and runs the steps in order.
/// </summary>
/// <param name="Model">A built-in architecture (<see cref="ModelZoo.Names"/>), or <c>mlp</c> for tabular data (widths in <paramref name="Hidden"/>).</param>
/// <param name="Data">Where the examples come from.</param>
/// <param name="Steps">What to do, in order (train, load, prune, compress, evaluate, measure, save, cross-validate).</param>
/// <param name="Seed">Seeds the initial weights, training order, random criteria and anything else random in the trial.</param>
/// <param name="Hidden">Hidden widths of an <c>mlp</c>, e.g. [32] or [64, 32].</param>
/// <param name="Wave">Trials of a wave run after every trial of the waves before (e.g. a dense model is trained in wave 0, pruned in wave 1).</param>
/// <param name="Tags">Labels for grouping results (criterion, sparsity, configuration); not read by the runner.</param>
public sealed record TrialSpec(
    string Model,
    DataSpec Data,
    IReadOnlyList<TrialStep> Steps,
    long Seed = 0,
    IReadOnlyList<int>? Hidden = null,
    int Wave = 0,
    IReadOnlyDictionary<string, string>? Tags = null)
{
    /// <summary>The multilayer perceptron for tabular data.</summary>
    public const string Mlp = "mlp";

    /// <summary>Checks the trial and throws on the first problem.</summary>
    /// <exception cref="ArgumentException">Unknown model, missing data or steps, or a step out of range.</exception>
    public void Validate()
    {
        var model = Model?.Trim().ToLowerInvariant() ?? "";
        // Cross-validation builds its estimators from the recipe: the model name then only labels the trial.
        var usesModel = Steps is null || !Steps.All(s => s is CrossValidateStep);
        if (usesModel && model == Mlp && (Hidden is null || Hidden.Count == 0 || Hidden.Any(h => h < 1)))
            throw new ArgumentException($"An mlp needs hidden widths of at least 1, e.g. \"hidden\": [32], got [{string.Join(", ", Hidden ?? [])}].");
        if (usesModel && model != Mlp && !ModelZoo.Names.Contains(model))
            throw new ArgumentException($"Unknown model '{Model}': expected one of {string.Join(", ", ModelZoo.Names)} or {Mlp}.");
        if (Data is null)
            throw new ArgumentException("The trial has no data: expected e.g. \"data\": { \"name\": \"fashion-mnist\" }.");
        Data.Validate();
        if (Steps is null || Steps.Count == 0)
            throw new ArgumentException("The trial has no steps: expected e.g. [{ \"kind\": \"train\" }, { \"kind\": \"evaluate\" }].");
        if (Wave < 0)
            throw new ArgumentException($"Wave must be 0 or more, got {Wave}.");
        for (var i = 0; i < Steps.Count; i++)
        {
            if (Steps[i] is null)
                throw new ArgumentException($"Step {i} is null.");
            Steps[i].Validate(Data);
        }
    }
}
