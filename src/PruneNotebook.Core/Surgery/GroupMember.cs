using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>One layer of a <see cref="ChannelGroup"/>, or one call of a stateless layer.</summary>
/// <param name="Name">Qualified module name, e.g. <c>stage1.0.conv2</c>.</param>
/// <param name="Module">The module at the time the graph was built.</param>
/// <param name="Role">How the layer takes part.</param>
/// <param name="Block">
/// Features per unit: for a consumer, input features (1 for a convolution; H·W for a Linear after flattening a
/// (C, H, W) map, where unit k owns input features [k·H·W, (k+1)·H·W)); for the projections of an attention head
/// group, the head's features (head k owns [k·d, (k+1)·d) of the query, key and value outputs and of the output
/// projection's inputs).
/// </param>
/// <param name="Call">
/// Which call of the module this member stands for, counted from 0 in forward order (<see cref="TracedCall.Call"/>). A
/// stateless module (ReLU, pooling, flatten) called in several places is a separate member per call, each in the group
/// its own input belongs to. A module with weights is one member for all its calls (they share its units), carrying
/// the call it was first seen in.
/// </param>
public sealed record GroupMember(string Name, nn.Module Module, MemberRole Role, long Block = 1, int Call = 0)
{
    /// <summary>The module's type name.</summary>
    public string Type => Module.GetType().Name;

    /// <summary>The name, with the call for a later call of a stateless module: <c>relu</c>, <c>relu (call 2)</c>.</summary>
    public string Label => Call == 0 ? Name : $"{Name} (call {Call + 1})";
}
