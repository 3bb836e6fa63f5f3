using PruneNotebook.Core.Persistence;

namespace PruneNotebook.Core.Experiments;

/// <summary>Saves the trial's model with its pruning masks, atomically (a later wave's <see cref="LoadStep"/> reads it).</summary>
/// <param name="Weights">The model file, absolute or relative to the sweep directory.</param>
public sealed record SaveStep(string Weights) : TrialStep
{
    internal override void Validate(DataSpec data)
    {
        if (string.IsNullOrWhiteSpace(Weights))
            throw new ArgumentException("A save step needs \"weights\": a file name, e.g. \"dense.bin\" (relative to the sweep directory).");
    }

    internal override void Run(TrialContext context) => ModelFile.Save(context.Model, context.Resolve(Weights));

    internal override string Describe() => $"save {Weights}";
}
