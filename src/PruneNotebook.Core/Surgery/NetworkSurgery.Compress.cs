using System.Globalization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

public static partial class NetworkSurgery
{
    /// <summary>
    /// Removes the least important units of every prunable group (channels of convolutions, neurons of Linear layers,
    /// with the BatchNorm entries and consumer inputs they are coupled to; residual groups lose the same channels in
    /// every layer of the group). The network input and output keep their units.
    /// </summary>
    /// <param name="model">The network.</param>
    /// <param name="options">Amount, scope, ignored layers, per-layer maximum, rounding.</param>
    /// <param name="importance">The criterion; default L1 magnitude (<see cref="MagnitudeImportance"/>).</param>
    /// <param name="inputShape">Input shape with batch dimension; default from the model.</param>
    /// <param name="measurement">How to measure before and after; default latency of a batch of 64, no accuracy.</param>
    /// <exception cref="ArgumentException">
    /// An option is out of range, an ignored layer does not exist, a layer would lose all its units, a layer type has no
    /// surgeon, or the model cannot be traced. The model is unchanged.
    /// </exception>
    public static SurgeryReport Compress(nn.Module<Tensor, Tensor> model, CompressionOptions options, IGroupImportance? importance = null,
        IReadOnlyList<long>? inputShape = null, SurgeryMeasurement? measurement = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        measurement ??= new SurgeryMeasurement();
        measurement.Validate();
        importance ??= new MagnitudeImportance(1);
        var graph = DependencyGraph.Build(model, inputShape);
        var ignored = CheckIgnored(model, options.Ignore ?? []);
        var candidates = graph.Groups
            .Where(g => g.IsPrunable && g.Size > 1 && !g.Members.Any(m => m.Role != MemberRole.Consumer && ignored.Contains(m.Name)))
            .ToList();
        var scores = importance.Score(model, candidates);
        var kept = new Dictionary<ChannelGroup, long[]>();
        try
        {
            var values = scores.Select(s => s?.cpu().data<float>().ToArray()).ToList();
            var removals = options.Scope == PruningScope.Global ? GlobalRemovals(values, options.Amount) : LocalRemovals(values, options.Amount);
            for (var i = 0; i < candidates.Count; i++)
            {
                if (values[i] is not { } unitScores)
                    continue;
                var keep = options.Kept(candidates[i].Size, removals[i]);
                if (keep == 0)
                    throw new ArgumentException(
                        $"Compressing would remove all {candidates[i].Size} units of '{candidates[i].Name}': lower the amount, set a per-layer maximum fraction below 1, or ignore that layer.");
                kept[candidates[i]] = Enumerable.Range(0, unitScores.Length)
                    .OrderByDescending(u => unitScores[u]).ThenBy(u => u).Take((int)keep)
                    .Order().Select(u => (long)u).ToArray();
            }
        }
        finally
        {
            foreach (var score in scores)
                score?.Dispose();
        }
        var operation = string.Create(CultureInfo.InvariantCulture,
            $"compress {importance.Name} {options.Amount * 100:0.#} % {(options.Scope == PruningScope.Global ? "global" : "local")}{(options.RoundTo > 1 ? $", kept counts rounded to {options.RoundTo}" : "")}");
        return Operate(model, graph, measurement, operation, () => UnitRemoval.Apply(model, graph, kept));
    }

    private static HashSet<string> CheckIgnored(nn.Module model, IReadOnlyList<string> ignore)
    {
        var names = model.named_modules().Select(m => m.name).ToHashSet();
        foreach (var name in ignore)
            if (!names.Contains(name.Trim()))
                throw new ArgumentException(
                    $"{model.GetType().Name} has no layer '{name}' to ignore: expected one of {string.Join(", ", model.named_modules().Where(m => !m.module.children().Any() && m.module.parameters().Any()).Select(m => m.name).Take(8))}.",
                    nameof(ignore));
        return ignore.Select(n => n.Trim()).ToHashSet();
    }

    private static long[] LocalRemovals(IReadOnlyList<float[]?> scores, double amount) =>
        scores.Select(s => s is null ? 0 : (long)Math.Round(amount * s.Length, MidpointRounding.ToEven)).ToArray();

    /// <summary>Units of all groups ranked together on scores divided by their group's mean; the lowest <paramref name="amount"/> go.</summary>
    private static long[] GlobalRemovals(IReadOnlyList<float[]?> scores, double amount)
    {
        var ranked = scores
            .SelectMany((s, g) => s is null ? [] : s.Select((value, u) => (Group: g, Unit: u, Score: Normalised(value, s))))
            .OrderBy(x => x.Score).ThenBy(x => x.Group).ThenBy(x => x.Unit)
            .ToList();
        var removals = new long[scores.Count];
        foreach (var (group, _, _) in ranked.Take((int)Math.Round(amount * ranked.Count, MidpointRounding.ToEven)))
            removals[group]++;
        return removals;
    }

    private static double Normalised(float value, float[] group)
    {
        var mean = group.Average(v => (double)v);
        return mean > 0 ? value / mean : value;
    }
}
