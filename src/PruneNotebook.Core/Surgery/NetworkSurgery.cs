using PruneNotebook.Core.Reports;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Makes networks physically smaller: <see cref="Trim"/> removes units that pruning already zeroed,
/// <see cref="Compress"/> removes the least important units of every coupled group, and <see cref="DropLayers"/>
/// removes whole residual blocks or layers. Layers are rebuilt smaller and swapped into their parents; the kept
/// weights are copied exactly and pruning masks follow them. Every operation traces the model first
/// (<see cref="DependencyGraph"/>) and checks everything before changing anything, so a refusal leaves the model as it was.
/// Each returns a <see cref="SurgeryReport"/> with parameters, MACs, measured latency and (given data) accuracy before and after.
/// </summary>
public static partial class NetworkSurgery
{
    private static readonly HashSet<Type> ZeroPreserving =
    [
        typeof(ReLU), typeof(ReLU6), typeof(LeakyReLU), typeof(ELU), typeof(GELU), typeof(SiLU), typeof(Tanh), typeof(Hardswish), typeof(Mish),
        typeof(MaxPool1d), typeof(MaxPool2d), typeof(AvgPool1d), typeof(AvgPool2d), typeof(AdaptiveAvgPool1d), typeof(AdaptiveAvgPool2d),
        typeof(AdaptiveMaxPool1d), typeof(AdaptiveMaxPool2d), typeof(Flatten), typeof(Unflatten), typeof(Dropout), typeof(Dropout1d),
        typeof(Dropout2d), typeof(Identity),
    ];

    /// <summary>
    /// Removes every unit that is dead: a filter or neuron whose weights and bias are all zero (and whose BatchNorm maps
    /// zero to zero), or whose outgoing weights are all zero in every consumer. The trimmed network computes the same
    /// outputs as before (up to float rounding). Units of the network's input and output are never removed; a group
    /// whose units are all dead keeps one. The report's <see cref="SurgeryReport.Removal"/> counts the dead units found
    /// (outside the input and the last layer's outputs) against those removed, and says why any were kept.
    /// </summary>
    /// <param name="model">The network, typically pruned structurally (<c>Pruner.Structured</c>).</param>
    /// <param name="inputShape">Input shape with batch dimension; default from the model (<see cref="Models.IKnowsInputShape"/>).</param>
    /// <param name="measurement">How to measure before and after; default latency of a batch of 64, no accuracy.</param>
    /// <exception cref="ArgumentException">The model cannot be traced or has a layer type without surgeon (the model is unchanged).</exception>
    public static SurgeryReport Trim(nn.Module<Tensor, Tensor> model, IReadOnlyList<long>? inputShape = null, SurgeryMeasurement? measurement = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        measurement ??= new SurgeryMeasurement();
        measurement.Validate();
        var graph = DependencyGraph.Build(model, inputShape);
        var kept = new Dictionary<ChannelGroup, long[]>();
        var requested = new Dictionary<ChannelGroup, (long Units, string? Reason)>();
        foreach (var group in graph.Groups.Where(g => g.Producers.Any() && !g.IsFinalOutput))
        {
            var dead = DeadUnits(group);
            var count = dead.Count(d => d);
            if (count == 0)
                continue;
            if (!group.IsPrunable)
            {
                requested[group] = (count, $"fixed: {group.FixedReason}");
                continue;
            }
            var alive = Enumerable.Range(0, dead.Length).Where(i => !dead[i]).Select(i => (long)i).ToArray();
            kept[group] = alive.Length > 0 ? alive : [0];
            requested[group] = (count, alive.Length > 0 ? null : "every unit is dead: one is kept so the layer keeps an output");
        }
        var removal = Account("dead units", graph, requested, kept);
        return Operate(model, graph, measurement, "trim", () => UnitRemoval.Apply(model, graph, kept), removal: removal);
    }

    private static SurgeryReport Operate(nn.Module<Tensor, Tensor> model, DependencyGraph graph, SurgeryMeasurement measurement, string operation,
        Func<IReadOnlyList<LayerChange>> surgery, IReadOnlyList<LayerDropCandidate>? candidates = null, RemovalSummary? removal = null) =>
        Operate(model, [1, .. graph.InputShape.Skip(1)], measurement, operation, surgery, candidates, removal);

    /// <summary>Measures the network, runs <paramref name="surgery"/>, measures again; <paramref name="one"/> is the shape of one example.</summary>
    private static SurgeryReport Operate(nn.Module<Tensor, Tensor> model, long[] one, SurgeryMeasurement measurement, string operation,
        Func<IReadOnlyList<LayerChange>> surgery, IReadOnlyList<LayerDropCandidate>? candidates = null, RemovalSummary? removal = null)
    {
        var before = measurement.Take(model, one);
        var changes = surgery();
        var after = measurement.Take(model, one);
        return new SurgeryReport(operation, model.GetType().Name, one, measurement.LatencyBatch, before, after, changes, candidates ?? [], removal);
    }

    /// <summary>
    /// The units requested of each group (with why some would be kept) against the units <paramref name="kept"/> leaves
    /// out, in forward order: every group that kept part of its request is listed with how many and why.
    /// </summary>
    private static RemovalSummary Account(string unit, DependencyGraph graph, IReadOnlyDictionary<ChannelGroup, (long Units, string? Reason)> requested,
        IReadOnlyDictionary<ChannelGroup, long[]> kept)
    {
        var shortfalls = new List<KeptUnits>();
        long total = 0, removed = 0;
        foreach (var group in graph.Groups)
        {
            var gone = kept.TryGetValue(group, out var indices) ? group.Size - indices.Length : 0;
            removed += gone;
            if (!requested.TryGetValue(group, out var request))
                continue;
            total += request.Units;
            if (gone < request.Units)
                shortfalls.Add(new KeptUnits(group.Name, group.Size, request.Units - gone, request.Reason ?? "kept"));
        }
        return new RemovalSummary(unit, total, removed, shortfalls);
    }

    /// <summary>
    /// Per unit: is it provably zero everywhere it goes, or unused by every consumer? A group without producers is never
    /// silent; one without consumers (its output used elsewhere) is never unused; a member whose width does not match
    /// the group (a fixed group) proves nothing.
    /// </summary>
    private static bool[] DeadUnits(ChannelGroup group)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var size = group.Size;
        // A LayerNorm normalises over all the group's units: removing any, even unused ones, changes every other.
        if (group.Passthroughs.Any(p => p.Module is LayerNorm))
            return new bool[size];
        Tensor? silent = group.Producers.Any() ? ones(size, ScalarType.Bool) : null;
        foreach (var member in group.Members)
        {
            if (silent is null)
                break;
            switch (member.Role)
            {
                case MemberRole.Producer when Matches(member, size):
                    foreach (var (_, rows) in UnitSlices.Of(member, size))
                        silent = silent.logical_and(rows.ne(0).any(1).logical_not().cpu());
                    break;
                case MemberRole.Producer:
                    silent = null;
                    break;
                case MemberRole.Passthrough:
                    silent = member.Module is BatchNorm norm && Matches(member, size) ? silent.logical_and(MapsZeroToZero(norm)) : null;
                    break;
                case MemberRole.Activation:
                    silent = ZeroPreserving.Contains(member.Module.GetType()) ? silent : null;
                    break;
            }
        }
        Tensor unused = full(size, group.Consumers.Any() && group.Consumers.All(c => Matches(c, size)), ScalarType.Bool);
        foreach (var consumer in group.Consumers.Where(c => Matches(c, size)))
            foreach (var (_, rows) in UnitSlices.Of(consumer, size))
                unused = unused.logical_and(rows.ne(0).any(1).logical_not().cpu());
        var dead = silent is null ? unused : silent.logical_or(unused);
        return dead.data<bool>().ToArray();
    }

    /// <summary>Whether <paramref name="member"/>'s slices hold exactly <paramref name="size"/> units (always, unless its group is fixed by a width mismatch).</summary>
    private static bool Matches(GroupMember member, long size)
    {
        var surgeon = LayerSurgeons.For(member.Module)!;
        return surgeon.Unsupported(member.Module) is null
            && (member.Role == MemberRole.Consumer ? surgeon.InputFeatures(member.Module) : surgeon.OutputUnits(member.Module)) == size * member.Block;
    }

    /// <summary>Whether the layer outputs exactly zero for a channel that is zero, in eval and in training mode.</summary>
    private static Tensor MapsZeroToZero(BatchNorm norm)
    {
        var shift = norm.affine ? norm.bias!.detach() : zeros(norm.num_features, device: norm.running_mean?.device ?? CPU);
        if (!norm.track_running_stats)
            return shift.eq(0).cpu();
        var scale = norm.affine ? norm.weight.detach() : ones_like(norm.running_mean!);
        var response = shift - norm.running_mean! * scale / (norm.running_var! + norm.eps).sqrt();
        return response.eq(0).logical_and(shift.eq(0)).cpu();
    }
}
