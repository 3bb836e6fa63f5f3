namespace PruneNotebook.Core.Reports;

/// <summary>A layer or residual block that layer pruning considered bypassing.</summary>
/// <param name="Name">Qualified module name.</param>
/// <param name="Type">Module type name.</param>
/// <param name="AccuracyWhenBypassed">Accuracy (0..1) of the network with only this layer bypassed.</param>
/// <param name="Dropped">Whether it was removed.</param>
/// <param name="Calls">
/// How often forward calls it: a block applied twice is bypassed at every call (one module, the same weights), and the
/// accuracy is measured so.
/// </param>
public sealed record LayerDropCandidate(string Name, string Type, double AccuracyWhenBypassed, bool Dropped, int Calls = 1);
