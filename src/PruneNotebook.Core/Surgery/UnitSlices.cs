using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>The per-unit slices of a member layer's parameters, as (units, rest) matrices.</summary>
internal static class UnitSlices
{
    /// <summary>A parameter or buffer of <paramref name="module"/> by local name.</summary>
    public static Tensor Local(nn.Module module, string name) =>
        module.named_parameters(recurse: false).Where(p => p.name == name).Select(p => (Tensor)p.parameter).FirstOrDefault()
        ?? module.named_buffers(recurse: false).Where(b => b.name == name).Select(b => b.buffer).First();

    /// <summary>
    /// The slices of <paramref name="member"/> that belong to the group's units, each reshaped to (units, rest):
    /// output slices for producers and BatchNorms, input blocks for consumers. <paramref name="parameters"/> limits it
    /// to trainable parameters (no running statistics).
    /// </summary>
    public static IEnumerable<(string Name, Tensor Rows)> Of(GroupMember member, long units, bool parameters = true, Func<Tensor, Tensor>? map = null)
    {
        var surgeon = LayerSurgeons.For(member.Module)!;
        var slices = member.Role == MemberRole.Consumer ? surgeon.InputSlices(member.Module) : surgeon.OutputSlices(member.Module);
        var trainable = member.Module.named_parameters(recurse: false).Select(p => p.name).ToHashSet();
        foreach (var (name, dim) in slices)
        {
            if (parameters && !trainable.Contains(name))
                continue;
            var value = Local(member.Module, name);
            var mapped = map is null ? value.detach() : map(value);
            yield return (name, mapped.movedim([(long)dim], [0L]).reshape(units, -1));
        }
    }
}
