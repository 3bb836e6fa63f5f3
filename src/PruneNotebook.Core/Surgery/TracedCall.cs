using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>One module call seen while tracing a <see cref="DependencyGraph"/>.</summary>
/// <param name="Name">Qualified module name (empty for the model itself; the first name of a module registered under several).</param>
/// <param name="Module">The module.</param>
/// <param name="InputShape">Shape of its input.</param>
/// <param name="OutputShape">Shape of its output.</param>
/// <param name="Call">Which call of <paramref name="Module"/> this is in the traced pass, counted from 0.</param>
public sealed record TracedCall(string Name, nn.Module Module, IReadOnlyList<long> InputShape, IReadOnlyList<long> OutputShape, int Call = 0);
