using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;
using Identity = TorchSharp.Modules.Identity;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

public static partial class NetworkSurgery
{
    /// <summary>
    /// Layer pruning: bypasses each candidate alone — a residual block with an identity shortcut, or a Conv2d/Linear
    /// whose output has its input's shape — measures the accuracy on <paramref name="data"/>, and replaces the
    /// <paramref name="count"/> whose bypass costs least by an identity. A bypassed basic block computes its input,
    /// which is what its shortcut carries; fine-tune afterwards to recover the rest.
    /// </summary>
    /// <remarks>
    /// A candidate is a module, not a call: one called more than once (a block applied twice) keeps its shape at every
    /// call, is bypassed at every call when ranked and when dropped (<see cref="LayerDropCandidate.Calls"/>), and in every
    /// place it is registered. A candidate inside one already dropped is passed over for the next in the ranking; when
    /// fewer than <paramref name="count"/> remain, the report's <see cref="SurgeryReport.Removal"/> says so and why.
    /// </remarks>
    /// <param name="model">The network.</param>
    /// <param name="data">Evaluation data for the ranking (and for the accuracy before and after).</param>
    /// <param name="count">How many layers to drop (≥ 1).</param>
    /// <param name="inputShape">Input shape with batch dimension; default from the model.</param>
    /// <param name="measurement">How to measure before and after; its evaluation data defaults to <paramref name="data"/>.</param>
    /// <exception cref="ArgumentException">
    /// The count is below 1 or above the number of candidates (the message lists them, and the bypassable layers that
    /// cannot take an identity, with why), or the model cannot be traced. The model is unchanged.
    /// </exception>
    public static SurgeryReport DropLayers(nn.Module<Tensor, Tensor> model, TensorDataset data, int count, IReadOnlyList<long>? inputShape = null,
        SurgeryMeasurement? measurement = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        measurement ??= new SurgeryMeasurement(data);
        measurement.Validate();
        var graph = DependencyGraph.Build(model, inputShape);
        var calls = graph.Calls.Where(c => c.Name.Length > 0).GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.ToList());
        var modules = calls.ToDictionary(c => c.Key, c => c.Value[0].Module);
        var bypassable = calls
            .Where(c => c.Value.All(call => call.InputShape.SequenceEqual(call.OutputShape)) && Bypassable(c.Value[0].Module))
            .Select(c => (Name: c.Key, Reason: ModuleSwap.CannotReplaceEverywhere(model, modules[c.Key], typeof(Identity))))
            .ToList();
        var candidates = bypassable.Where(b => b.Reason is null).Select(b => b.Name).ToList();
        if (count < 1 || count > candidates.Count)
        {
            var blocked = bypassable.Where(b => b.Reason is not null).Select(b => $"'{b.Name}': {b.Reason}").ToList();
            throw new ArgumentException(
                $"Cannot drop {count} layer(s) of {model.GetType().Name}: expected 1 to {candidates.Count}, the number of residual blocks and shape-keeping layers that can be bypassed ({string.Join(", ", candidates.DefaultIfEmpty("none"))})" +
                (blocked.Count == 0 ? "." : $"; cannot take an identity: {string.Join("; ", blocked)}."),
                nameof(count));
        }

        var ranked = new List<(string Name, double Accuracy)>();
        using (var identity = nn.Identity())
        {
            foreach (var name in candidates)
            {
                ModuleSwap.ReplaceEverywhere(model, modules[name], identity);
                try
                {
                    ranked.Add((name, Trainer.Evaluate(model, data).Accuracy));
                }
                finally
                {
                    ModuleSwap.ReplaceEverywhere(model, identity, modules[name]);
                }
            }
        }
        var order = ranked.OrderByDescending(r => r.Accuracy).ThenBy(r => candidates.IndexOf(r.Name)).ToList();
        // Bypassing a block bypasses everything inside it: the next candidate in the ranking takes the place of one within a dropped block.
        var dropped = new List<string>();
        var passedOver = new List<KeptUnits>();
        foreach (var (name, _) in order)
        {
            if (dropped.Count == count)
                break;
            if (dropped.FirstOrDefault(d => Contains(d, name) || Contains(name, d)) is { } outer)
                passedOver.Add(new KeptUnits(name, 1, 1, Contains(outer, name) ? $"inside '{outer}', which is dropped" : $"it holds '{outer}', which is dropped"));
            else
                dropped.Add(name);
        }
        var removal = new RemovalSummary("layers", count, dropped.Count, dropped.Count < count ? passedOver : []);
        var report = order.Select(r => new LayerDropCandidate(r.Name, modules[r.Name].GetType().Name, r.Accuracy, dropped.Contains(r.Name), calls[r.Name].Count)).ToList();
        return Operate(model, graph, measurement, $"drop {count} layer{(count == 1 ? "" : "s")}", () =>
        {
            foreach (var name in candidates.Where(dropped.Contains))
                ModuleSwap.ReplaceEverywhere(model, modules[name], nn.Identity());
            return [];
        }, report, removal);
    }

    /// <summary>Whether module <paramref name="inner"/> lies inside module <paramref name="outer"/> (qualified names).</summary>
    private static bool Contains(string outer, string inner) => inner.StartsWith(outer + ".", StringComparison.Ordinal);

    private static bool Bypassable(nn.Module module) =>
        module is IDeclaresCoupling coupled ? coupled.AddedBranches.Contains("") : LayerSurgeons.For(module) is { IsPassthrough: false };
}
