using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>One layer of a <see cref="ChannelGroup"/>.</summary>
/// <param name="Name">Qualified module name, e.g. <c>stage1.0.conv2</c>.</param>
/// <param name="Module">The module at the time the graph was built.</param>
/// <param name="Role">How the layer takes part.</param>
/// <param name="Block">
/// For a consumer: input features per unit. 1 for a convolution; H·W for a Linear after flattening a (C, H, W) map,
/// where unit k owns input features [k·H·W, (k+1)·H·W).
/// </param>
public sealed record GroupMember(string Name, nn.Module Module, MemberRole Role, long Block = 1)
{
    /// <summary>The module's type name.</summary>
    public string Type => Module.GetType().Name;
}
