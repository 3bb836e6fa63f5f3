namespace PruneNotebook.Core.Analysis;

/// <summary>One executed layer of a <see cref="NetworkSummary"/>, in forward order.</summary>
/// <param name="Name">Qualified module name (e.g. <c>features.conv1</c>).</param>
/// <param name="Type">Module type name (e.g. <c>Conv2d</c>).</param>
/// <param name="OutputShape">Shape of the layer's output for the summary's input shape.</param>
/// <param name="Parameters">Parameters owned by this layer.</param>
/// <param name="NonzeroParameters">Parameters owned by this layer that are not exactly zero.</param>
/// <param name="Macs">Multiply-accumulates of one forward pass with every weight counted, or <c>null</c> when the layer type is not known.</param>
/// <param name="NonzeroMacs">Multiply-accumulates counting only nonzero weights (what a sparse kernel would do), or <c>null</c> when not known.</param>
/// <param name="KernelSize">Kernel size for convolution and pooling layers (e.g. <c>5×5</c>), else <c>null</c>.</param>
public sealed record LayerSummary(
    string Name,
    string Type,
    IReadOnlyList<long> OutputShape,
    long Parameters,
    long NonzeroParameters,
    long? Macs,
    long? NonzeroMacs,
    string? KernelSize)
{
    /// <summary>Whether the MACs of this layer could be counted.</summary>
    public bool IsCounted => Macs.HasValue;
}
