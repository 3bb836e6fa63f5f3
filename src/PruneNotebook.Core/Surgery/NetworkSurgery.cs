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
    /// whose units are all dead keeps one.
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
        foreach (var group in graph.Groups.Where(g => g.IsPrunable))
        {
            var dead = DeadUnits(group);
            if (!dead.Any(d => d))
                continue;
            var alive = Enumerable.Range(0, dead.Length).Where(i => !dead[i]).Select(i => (long)i).ToArray();
            kept[group] = alive.Length > 0 ? alive : [0];
        }
        return Operate(model, graph, measurement, "trim", () => UnitRemoval.Apply(model, graph, kept));
    }

    private static SurgeryReport Operate(nn.Module<Tensor, Tensor> model, DependencyGraph graph, SurgeryMeasurement measurement, string operation,
        Func<IReadOnlyList<LayerChange>> surgery, IReadOnlyList<LayerDropCandidate>? candidates = null) =>
        Operate(model, [1, .. graph.InputShape.Skip(1)], measurement, operation, surgery, candidates);

    /// <summary>Measures the network, runs <paramref name="surgery"/>, measures again; <paramref name="one"/> is the shape of one example.</summary>
    private static SurgeryReport Operate(nn.Module<Tensor, Tensor> model, long[] one, SurgeryMeasurement measurement, string operation,
        Func<IReadOnlyList<LayerChange>> surgery, IReadOnlyList<LayerDropCandidate>? candidates = null)
    {
        var before = measurement.Take(model, one);
        var changes = surgery();
        var after = measurement.Take(model, one);
        return new SurgeryReport(operation, model.GetType().Name, one, measurement.LatencyBatch, before, after, changes, candidates ?? []);
    }

    /// <summary>Per unit: is it provably zero everywhere it goes, or unused by every consumer?</summary>
    private static bool[] DeadUnits(ChannelGroup group)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var size = group.Size;
        Tensor? silent = ones(size, ScalarType.Bool);
        foreach (var member in group.Members)
        {
            if (silent is null)
                break;
            switch (member.Role)
            {
                case MemberRole.Producer:
                    foreach (var (_, rows) in UnitSlices.Of(member, size))
                        silent = silent.logical_and(rows.ne(0).any(1).logical_not().cpu());
                    break;
                case MemberRole.Passthrough:
                    silent = member.Module is BatchNorm norm ? silent.logical_and(MapsZeroToZero(norm)) : null;
                    break;
                case MemberRole.Activation:
                    silent = ZeroPreserving.Contains(member.Module.GetType()) ? silent : null;
                    break;
            }
        }
        Tensor unused = ones(size, ScalarType.Bool);
        foreach (var consumer in group.Consumers)
            foreach (var (_, rows) in UnitSlices.Of(consumer, size))
                unused = unused.logical_and(rows.ne(0).any(1).logical_not().cpu());
        var dead = silent is null ? unused : silent.logical_or(unused);
        return dead.data<bool>().ToArray();
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
