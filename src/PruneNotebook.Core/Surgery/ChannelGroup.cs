namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Units (channels or neurons) that must be removed together: removing unit k removes output k of every producer,
/// entry k of every BatchNorm in between, and input k (or the k-th block of inputs) of every consumer. Layers joined
/// by a residual addition share one group.
/// </summary>
/// <param name="Id">Index of the group in its graph.</param>
/// <param name="Size">Number of units.</param>
/// <param name="Members">Layers in forward order: a layer with weights once, a stateless layer once per call that carries these units.</param>
/// <param name="FixedReason">Why the units cannot be removed (network input or output, an untraced use), or <c>null</c>.</param>
/// <param name="IsNetworkOutput">Whether these units are the network's output (then fixed, whatever else holds them).</param>
public sealed record ChannelGroup(int Id, long Size, IReadOnlyList<GroupMember> Members, string? FixedReason, bool IsNetworkOutput = false)
{
    /// <summary>Whether units of this group can be removed.</summary>
    public bool IsPrunable => FixedReason is null && Members.Any(m => m.Role == MemberRole.Producer);

    /// <summary>
    /// Whether the units are attention heads (<see cref="IDeclaresAttention"/>): the producers are the query, key and
    /// value projections, each unit a block of <see cref="GroupMember.Block"/> features.
    /// </summary>
    public bool IsAttentionHeads => Producers.Any(p => p.Block > 1);

    /// <summary>Whether a LayerNorm normalises over the units (a transformer's residual stream).</summary>
    public bool IsNormalized => Passthroughs.Any(p => p.Module is TorchSharp.Modules.LayerNorm);

    /// <summary>The producers of the units.</summary>
    public IEnumerable<GroupMember> Producers => Members.Where(m => m.Role == MemberRole.Producer);

    /// <summary>The BatchNorm-like layers the units pass through.</summary>
    public IEnumerable<GroupMember> Passthroughs => Members.Where(m => m.Role == MemberRole.Passthrough);

    /// <summary>The layers taking the units as input.</summary>
    public IEnumerable<GroupMember> Consumers => Members.Where(m => m.Role == MemberRole.Consumer);

    /// <summary>
    /// Whether these are the output units of the network's last layer alone (one producer, e.g. a classifier's logits):
    /// units no surgery is expected to remove, so they count in no request (<see cref="Reports.RemovalSummary"/>).
    /// </summary>
    public bool IsFinalOutput => IsNetworkOutput && Producers.Count() == 1;

    /// <summary>A short name: the producers, e.g. <c>conv1</c> or <c>stage1.0.bn2 + stem …</c>; for heads the attention layer, e.g. <c>blocks.0.attention.inner heads</c>.</summary>
    public string Name => IsAttentionHeads && Producers.First().Name.LastIndexOf('.') is var cut and > 0
        ? $"{Producers.First().Name[..cut]} heads"
        : string.Join(" + ", Producers.Select(p => p.Name).DefaultIfEmpty("(input)"));

    /// <summary>E.g. <c>conv1 → bn1 → relu1 → conv2 (16 units)</c>; a later call of a stateless layer reads <c>relu (call 2)</c>.</summary>
    public override string ToString() => $"{string.Join(" → ", Members.Select(m => m.Label))} ({Size} units)";
}
