using static TorchSharp.torch;

namespace PruneNotebook.Core.Calibration;

/// <summary>
/// What calibration data fed one Linear layer: how many input rows it saw (tokens or examples), the sum of squares of
/// each input column (Wanda's ‖X_j‖²), and optionally the Gram matrix XᵀX of its inputs (SparseGPT's Hessian, up to a
/// factor 2). Memory is bounded by the layer: <c>in</c> floats, plus <c>in × in</c> with the Gram matrix. Owns its tensors.
/// </summary>
public sealed class LayerInputStatistics : IDisposable
{
    internal LayerInputStatistics(string layer, long inputs, Device device, bool gram)
    {
        Layer = layer;
        SquaredNorms = zeros(inputs, device: device).DetachFromDisposeScope();
        Gram = gram ? zeros([inputs, inputs], device: device).DetachFromDisposeScope() : null;
    }

    /// <summary>The layer's qualified name, e.g. <c>blocks.0.mlp.fc1</c>.</summary>
    public string Layer { get; }

    /// <summary>Input rows seen: examples, or examples × positions for sequences.</summary>
    public long Rows { get; private set; }

    /// <summary>Σ over rows of x_j², shape (in).</summary>
    public Tensor SquaredNorms { get; }

    /// <summary>Σ over rows of x xᵀ, shape (in, in); <c>null</c> when not gathered.</summary>
    public Tensor? Gram { get; }

    /// <summary>Adds one batch of inputs of shape (..., in).</summary>
    internal void Add(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.detach().reshape(-1, SquaredNorms.shape[0]).to_type(ScalarType.Float32);
        SquaredNorms.add_(x.pow(2).sum(dim: 0)); // not sum(0): a literal 0 converts to ScalarType and sums everything
        Gram?.addmm_(x.t(), x);
        Rows += x.shape[0];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        SquaredNorms.Dispose();
        Gram?.Dispose();
    }
}
