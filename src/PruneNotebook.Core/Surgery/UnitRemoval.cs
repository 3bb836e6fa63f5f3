using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Removes units of groups from a model: every member layer is rebuilt smaller by its surgeon and swapped into its
/// parent, and pruning masks move to the new layers. Everything is checked and built before the first swap.
/// </summary>
internal static class UnitRemoval
{
    /// <summary>Keeps the <paramref name="kept"/> units (ascending int64 indices) of each group; groups not listed keep all.</summary>
    /// <exception cref="ArgumentException">A group would lose every unit, or a layer cannot be replaced in its parent.</exception>
    public static IReadOnlyList<LayerChange> Apply(nn.Module model, DependencyGraph graph, IReadOnlyDictionary<ChannelGroup, long[]> kept)
    {
        var plans = new Dictionary<string, Plan>();
        foreach (var (group, indices) in kept)
        {
            if (indices.Length == 0)
                throw new ArgumentException($"Removing all {group.Size} units of '{group.Name}' would leave the layer empty: keep at least one.");
            if (indices.Length == group.Size)
                continue;
            // A layer with weights is one member however often it is called; stateless layers (activations) need no change.
            foreach (var member in group.Members.Where(m => m.Role != MemberRole.Activation))
            {
                if (!plans.TryGetValue(member.Name, out var plan))
                    plans[member.Name] = plan = new Plan(member.Module);
                if (member.Role == MemberRole.Consumer)
                    plan.Inputs = Expand(indices, member.Block);
                else
                    plan.Outputs = Expand(indices, member.Block);
            }
        }

        var current = ModuleTree.Named(model).ToDictionary(m => m.Path, m => m.Module);
        foreach (var (name, plan) in plans)
        {
            if (!current.TryGetValue(name, out var module) || !ReferenceEquals(module, plan.Module))
                throw new ArgumentException($"The dependency graph is out of date: '{name}' is no longer the traced layer; build the graph again.");
            if (ModuleSwap.CannotReplaceEverywhere(model, module, module.GetType()) is { } reason)
                throw new ArgumentException($"'{name}' cannot be replaced by a smaller copy: {reason}.");
        }

        var built = new List<(string Name, Plan Plan, nn.Module Smaller, LayerSurgeon Surgeon)>();
        try
        {
            foreach (var (name, plan) in plans)
            {
                var surgeon = LayerSurgeons.For(plan.Module)!;
                using var outputs = plan.Outputs is null ? null : tensor(plan.Outputs);
                using var inputs = plan.Inputs is null ? null : tensor(plan.Inputs);
                built.Add((name, plan, surgeon.Shrink(plan.Module, outputs, inputs), surgeon));
            }
        }
        catch
        {
            foreach (var (_, _, smaller, _) in built)
                smaller.Dispose();
            throw;
        }

        var changes = new List<LayerChange>();
        foreach (var (name, plan, smaller, surgeon) in built)
        {
            ModuleSwap.ReplaceEverywhere(model, plan.Module, smaller); // every name it is registered under
            PruningMasks.Transfer(plan.Module, smaller, (parameter, value) => Slice(surgeon, plan, parameter, value));
            changes.Add(new LayerChange(name, smaller.GetType().Name,
                surgeon.OutputUnits(plan.Module), surgeon.OutputUnits(smaller), surgeon.InputFeatures(plan.Module), surgeon.InputFeatures(smaller)));
        }
        PruningMasks.Sync(model);
        return changes;
    }

    /// <summary>Features of unit k are [k·block, (k+1)·block) (a flattened map's positions, an attention head's features).</summary>
    private static long[] Expand(long[] units, long block) =>
        block == 1 ? units : units.SelectMany(k => Enumerable.Range(0, (int)block).Select(j => k * block + j)).ToArray();

    private static Tensor Slice(LayerSurgeon surgeon, Plan plan, string parameter, Tensor value)
    {
        using var scope = NewDisposeScope();
        var result = value;
        foreach (var (name, dim) in surgeon.OutputSlices(plan.Module))
            if (name == parameter && plan.Outputs is not null)
                result = result.index_select(dim, tensor(plan.Outputs, device: value.device));
        foreach (var (name, dim) in surgeon.InputSlices(plan.Module))
            if (name == parameter && plan.Inputs is not null)
                result = result.index_select(dim, tensor(plan.Inputs, device: value.device));
        return (ReferenceEquals(result, value) ? value.clone() : result).MoveToOuterDisposeScope();
    }

    private sealed class Plan(nn.Module module)
    {
        public nn.Module Module { get; } = module;
        public long[]? Outputs { get; set; }
        public long[]? Inputs { get; set; }
    }
}
