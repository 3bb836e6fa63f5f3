using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>One module call seen while tracing a <see cref="DependencyGraph"/>.</summary>
/// <param name="Name">Qualified module name (empty for the model itself).</param>
/// <param name="Module">The module.</param>
/// <param name="InputShape">Shape of its input.</param>
/// <param name="OutputShape">Shape of its output.</param>
public sealed record TracedCall(string Name, nn.Module Module, IReadOnlyList<long> InputShape, IReadOnlyList<long> OutputShape);
