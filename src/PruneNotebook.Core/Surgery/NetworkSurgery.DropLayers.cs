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
    /// <param name="model">The network.</param>
    /// <param name="data">Evaluation data for the ranking (and for the accuracy before and after).</param>
    /// <param name="count">How many layers to drop (≥ 1).</param>
    /// <param name="inputShape">Input shape with batch dimension; default from the model.</param>
    /// <param name="measurement">How to measure before and after; its evaluation data defaults to <paramref name="data"/>.</param>
    /// <exception cref="ArgumentException">The count is below 1 or above the number of candidates, or the model cannot be traced. The model is unchanged.</exception>
    public static SurgeryReport DropLayers(nn.Module<Tensor, Tensor> model, TensorDataset data, int count, IReadOnlyList<long>? inputShape = null,
        SurgeryMeasurement? measurement = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        measurement ??= new SurgeryMeasurement(data);
        measurement.Validate();
        var graph = DependencyGraph.Build(model, inputShape);
        var candidates = graph.Calls
            .Where(c => c.Name.Length > 0 && c.InputShape.SequenceEqual(c.OutputShape) && Bypassable(c.Module))
            .Select(c => c.Name).Distinct()
            .Where(name => ModuleSwap.CannotReplace(model, name, typeof(Identity)) is null)
            .ToList();
        if (count < 1 || count > candidates.Count)
            throw new ArgumentException(
                $"Cannot drop {count} layer(s) of {model.GetType().Name}: expected 1 to {candidates.Count}, the number of residual blocks and shape-keeping layers that can be bypassed ({string.Join(", ", candidates.DefaultIfEmpty("none"))}).",
                nameof(count));

        var modules = graph.Calls.GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First().Module);
        var ranked = new List<(string Name, double Accuracy)>();
        using (var identity = nn.Identity())
        {
            foreach (var name in candidates)
            {
                ModuleSwap.Replace(model, name, identity);
                try
                {
                    ranked.Add((name, Trainer.Evaluate(model, data).Accuracy));
                }
                finally
                {
                    ModuleSwap.Replace(model, name, modules[name]);
                }
            }
        }
        var order = ranked.OrderByDescending(r => r.Accuracy).ThenBy(r => candidates.IndexOf(r.Name)).ToList();
        var dropped = order.Take(count).Select(r => r.Name).ToHashSet();
        var report = order.Select(r => new LayerDropCandidate(r.Name, modules[r.Name].GetType().Name, r.Accuracy, dropped.Contains(r.Name))).ToList();
        return Operate(model, graph, measurement, $"drop {count} layer{(count == 1 ? "" : "s")}", () =>
        {
            foreach (var name in candidates.Where(dropped.Contains))
                ModuleSwap.Replace(model, name, nn.Identity());
            return [];
        }, report);
    }

    private static bool Bypassable(nn.Module module) =>
        module is IDeclaresCoupling coupled ? coupled.AddedBranches.Contains("") : LayerSurgeons.For(module) is { IsPassthrough: false };
}
