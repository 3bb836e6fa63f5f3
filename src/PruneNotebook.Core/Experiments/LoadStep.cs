using PruneNotebook.Core.Persistence;

namespace PruneNotebook.Core.Experiments;

/// <summary>Loads weights and pruning masks saved by a <see cref="SaveStep"/> (or <see cref="ModelFile.Save"/>) into the trial's model.</summary>
/// <param name="Weights">The model file, absolute or relative to the sweep directory.</param>
public sealed record LoadStep(string Weights) : TrialStep
{
    internal override void Validate(DataSpec data)
    {
        if (string.IsNullOrWhiteSpace(Weights))
            throw new ArgumentException("A load step needs \"weights\": a model file, e.g. \"dense.bin\" in the sweep directory.");
    }

    internal override void Run(TrialContext context) => ModelFile.Load(context.Model, context.Resolve(Weights));

    internal override string Describe() => $"load {Weights}";
}
