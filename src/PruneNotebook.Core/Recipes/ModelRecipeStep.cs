using System.Globalization;
using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Runtime;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Recipes;

/// <summary>
/// <c>model</c>: a built-in architecture (<see cref="ModelZoo"/>) with initial weights drawn after seeding the global
/// generator with <c>seed</c> (as <c>torch.manual_seed(0); new LeNet5()</c> in a notebook), or with the weights and
/// masks of a saved model file (<see cref="ModelFile"/>). Written <c>- model: lenet5</c> or
/// <c>- model: {name: lenet5, weights: lenet5.bin}</c>.
/// </summary>
public sealed record ModelRecipeStep : RecipeStep
{
    internal ModelRecipeStep(RecipeSection options)
    {
        Source = options;
        Name = options.Text("name", "a model name") ?? throw options.Error("name", $"a model step needs 'name': one of {string.Join(", ", ModelZoo.Names)}.");
        Weights = options.Text("weights", "a file name");
        Seed = options.Integer("seed", 0) ?? 0;
    }

    /// <inheritdoc />
    public override string Kind => "model";

    /// <summary>The architecture's name in <see cref="ModelZoo"/>.</summary>
    public string Name { get; }

    /// <summary>A model file (weights and masks), relative to the recipe's folder, or <c>null</c> for fresh weights.</summary>
    public string? Weights { get; }

    /// <summary>Seeds the global generator before the fresh weights are drawn.</summary>
    public int Seed { get; }

    internal override void Check(RecipeCheck check)
    {
        if (!ModelZoo.Names.Contains(Name.Trim(), StringComparer.OrdinalIgnoreCase))
            throw Error("name", $"unknown model '{Name}': expected one of {string.Join(", ", ModelZoo.Names)}.");
        // A throwaway instance says what the model reads, and loading into it is the only sure test that a file fits it.
        using var probe = ModelZoo.Create(Name, CPU);
        check.TextModelContext = InputShapes.ReadsTokens(probe) && probe is IKnowsInputShape known ? known.ExampleShape[0] : null;
        if (Weights is not null)
        {
            var full = check.NeedFile(this, "weights", Weights);
            if (!check.Written(full))
            {
                try
                {
                    ModelFile.Load(probe, full);
                }
                catch (InvalidDataException e)
                {
                    throw Error("weights", $"'{Weights}' does not fit model '{Name}': {e.Message.Split(": ", 2)[^1]} Name the architecture the file was saved from.");
                }
            }
        }
        check.Model = Name.Trim().ToLowerInvariant();
        check.MatchModelAndData(this);
    }

    internal override RecipeStepResult Run(RecipeSession session)
    {
        manual_seed(Seed);
        var model = ModelZoo.Create(Name, TorchDevice.Default);
        session.Model = model;
        if (Weights is not null)
            ModelFile.Load(model, session.Resolve(Weights));
        var parameters = model.parameters().Sum(p => p.numel());
        var from = Weights is null ? $"fresh weights (seed {Seed})" : $"weights from {Weights}";
        return new RecipeStepResult(0, Kind, Line, $"model: {model.GetType().Name}, {parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters, {from}", null);
    }
}
