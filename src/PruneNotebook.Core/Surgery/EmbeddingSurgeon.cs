using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Removes features of an <see cref="Embedding"/>: columns of its weight (num_embeddings, dim). It produces units
/// (the features of every token) from token indices, which are not units of any layer, so it consumes none.
/// </summary>
public sealed class EmbeddingSurgeon : LayerSurgeon<Embedding>
{
    /// <inheritdoc />
    public override bool IsPassthrough => false;

    /// <inheritdoc />
    public override bool UnitsLast => true;

    /// <inheritdoc />
    public override bool ConsumesUnits => false;

    /// <inheritdoc />
    protected override long OutputUnits(Embedding module) => module.weight!.shape[1];

    /// <inheritdoc />
    protected override long InputFeatures(Embedding module) => module.weight!.shape[0];

    /// <inheritdoc />
    protected override IReadOnlyList<(string Name, int Dim)> OutputSlices(Embedding module) => [("weight", 1)];

    /// <inheritdoc />
    protected override IReadOnlyList<(string Name, int Dim)> InputSlices(Embedding module) => [];

    /// <inheritdoc />
    protected override Embedding Shrink(Embedding module, Tensor? keptOutputs, Tensor? keptInputs)
    {
        var weight = Select(module.weight!, 1, keptOutputs);
        var result = nn.Embedding(weight.shape[0], weight.shape[1], device: weight.device, dtype: weight.dtype);
        CopyInto(result.weight!, weight);
        return result;
    }
}
