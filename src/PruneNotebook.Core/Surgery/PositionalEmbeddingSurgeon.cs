using PruneNotebook.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>Removes features of a <see cref="PositionalEmbedding"/>: columns of its weight (positions, dim); it carries each unit through.</summary>
public sealed class PositionalEmbeddingSurgeon : LayerSurgeon<PositionalEmbedding>
{
    /// <inheritdoc />
    public override bool IsPassthrough => true;

    /// <inheritdoc />
    public override bool UnitsLast => true;

    /// <inheritdoc />
    protected override long OutputUnits(PositionalEmbedding module) => module.Weight.shape[1];

    /// <inheritdoc />
    protected override long InputFeatures(PositionalEmbedding module) => module.Weight.shape[1];

    /// <inheritdoc />
    protected override IReadOnlyList<(string Name, int Dim)> OutputSlices(PositionalEmbedding module) => [("weight", 1)];

    /// <inheritdoc />
    protected override IReadOnlyList<(string Name, int Dim)> InputSlices(PositionalEmbedding module) => [];

    /// <inheritdoc />
    protected override PositionalEmbedding Shrink(PositionalEmbedding module, Tensor? keptOutputs, Tensor? keptInputs)
    {
        var weight = Select(module.Weight, 1, keptOutputs);
        var result = new PositionalEmbedding(weight.shape[0], weight.shape[1], weight.device);
        result.to(weight.dtype);
        CopyInto(result.Weight, weight);
        return result;
    }
}
