using Microsoft.DotNet.Interactive.Commands;

namespace PruneNotebook.Interactive;

/// <summary>The parsed <c>#!summary</c> magic command: <c>#!summary &lt;variable&gt; [--input-shape 1,1,28,28]</c>.</summary>
public sealed class SummaryCommand : KernelDirectiveCommand
{
    /// <summary>Name of the C# variable holding the model.</summary>
    public string Model { get; set; } = "";

    /// <summary>Input shape with batch dimension, comma-separated (e.g. <c>1,1,28,28</c>); inferred when omitted.</summary>
    public string? InputShape { get; set; }
}
