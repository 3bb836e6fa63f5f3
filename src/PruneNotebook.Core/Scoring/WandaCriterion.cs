using PruneNotebook.Core.Calibration;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Scoring;

/// <summary>
/// Wanda, pruning by weights and activations (Sun et al. 2023): entry (i, j) of a Linear weight scores
/// |W_ij|·‖X_j‖₂, where ‖X_j‖₂ is the norm of input column j over the calibration data (every example and position;
/// <c>in</c> floats per layer). As in the paper's code, the inputs are gathered block by block
/// (<see cref="SequentialCalibration"/>): the Linear layers of each transformer block are calibrated in one pass of that
/// block over the outputs of the blocks before it, already pruned when <see cref="Pruning.Pruner"/> prunes; Linear
/// layers outside blocks (and every layer of a model without blocks) in one pass of the whole model. Scores are
/// compared within each output row (<see cref="IRowComparedCriterion"/>). Needs calibration data and Linear layers.
/// </summary>
public sealed class WandaCriterion(int samples = CalibrationPass.DefaultSamples) : IRowComparedCriterion, ISequentiallyCalibratedCriterion
{
    /// <summary>Calibration examples used.</summary>
    public int Samples { get; } = samples >= 1 ? samples : throw new ArgumentOutOfRangeException(nameof(samples), samples, $"--samples must be at least 1 (calibration examples for wanda), got {samples}.");

    /// <inheritdoc />
    public string Name => "wanda";

    /// <inheritdoc />
    public Tensor ScoreEntries(Tensor parameter, string name, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(context);
        var layer = LayerOf(name);
        var calibration = context.Shared("calibration", () => new SequentialCalibration(
            context.Network(this), context.RequireData(this, "the inputs of each layer (calibration data)"), Samples, gram: false, oneByOne: false));
        var norms = calibration.For(layer)?.SquaredNorms
            ?? throw new ArgumentException($"The wanda criterion scores Linear weights by their inputs, and '{name}' is not the weight of a Linear layer the calibration data reaches (through call()): choose such Linear layers.");
        if (parameter.dim() != 2 || parameter.shape[1] != norms.shape[0])
            throw new ArgumentException($"The wanda criterion scores Linear weights (out, in), and '{name}' has shape ({string.Join(", ", parameter.shape)}): choose the weights of Linear layers.");
        using var scope = NewDisposeScope();
        return parameter.detach().abs().mul(norms.sqrt().unsqueeze(0).to(parameter.device)).MoveToOuterDisposeScope();
    }

    internal static string LayerOf(string name) =>
        name.EndsWith(".weight", StringComparison.Ordinal) ? name[..^".weight".Length] : name == "weight" ? "" : name;
}
