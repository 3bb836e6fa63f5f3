using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>Removes output units (rows of the weight, entries of the bias) and input features (columns) of a <see cref="Linear"/> layer.</summary>
public sealed class LinearSurgeon : LayerSurgeon<Linear>
{
    /// <inheritdoc />
    public override bool IsPassthrough => false;

    /// <inheritdoc />
    public override bool UnitsLast => true;

    /// <inheritdoc />
    protected override long OutputUnits(Linear module) => module.out_features;

    /// <inheritdoc />
    protected override long InputFeatures(Linear module) => module.in_features;

    /// <inheritdoc />
    protected override IReadOnlyList<(string Name, int Dim)> OutputSlices(Linear module) =>
        module.bias is null ? [("weight", 0)] : [("weight", 0), ("bias", 0)];

    /// <inheritdoc />
    protected override IReadOnlyList<(string Name, int Dim)> InputSlices(Linear module) => [("weight", 1)];

    /// <inheritdoc />
    protected override Linear Shrink(Linear module, Tensor? keptOutputs, Tensor? keptInputs)
    {
        var weight = Select(Select(module.weight, 0, keptOutputs), 1, keptInputs);
        var result = nn.Linear(weight.shape[1], weight.shape[0], module.bias is not null, module.weight.device, module.weight.dtype);
        CopyInto(result.weight, weight);
        if (module.bias is not null)
            CopyInto(result.bias!, Select(module.bias, 0, keptOutputs));
        return result;
    }
}
