using System.Globalization;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

public static partial class NetworkSurgery
{
    /// <summary>
    /// Removes the least important units of every prunable group (channels of convolutions, neurons of Linear layers,
    /// with the BatchNorm entries and consumer inputs they are coupled to; residual groups lose the same channels in
    /// every layer of the group). The network input and output keep their units.
    /// </summary>
    /// <remarks>
    /// The report's <see cref="SurgeryReport.Removal"/> counts the units asked for — the amount of every group that has a
    /// producer, except ignored layers and the last layer's own outputs (a classifier's logits), with kept counts
    /// rounded as <see cref="CompressionOptions.RoundTo"/> asks — against the units removed, and names every group that
    /// kept some of its share and why: fixed (the network output, a consumer that expects another width, a layer that
    /// cannot be cut), the per-layer maximum fraction, a single unit, or no score from the criterion.
    /// </remarks>
    /// <param name="model">The network.</param>
    /// <param name="options">Amount, scope, ignored layers, per-layer maximum, rounding.</param>
    /// <param name="criterion">
    /// The criterion: one that scores groups (<see cref="IGroupCriterion"/>) or units (<see cref="IUnitCriterion"/>: a group
    /// then scores the sum of its producers' output-unit scores); default L1 magnitude (<see cref="MagnitudeCriterion"/>).
    /// </param>
    /// <param name="inputShape">Input shape with batch dimension; default from the model.</param>
    /// <param name="measurement">How to measure before and after; default latency of a batch of 64, no accuracy.</param>
    /// <param name="data">Data for a criterion that measures on it (Taylor, APoZ); otherwise <c>null</c>.</param>
    /// <exception cref="ArgumentException">
    /// An option is out of range, an ignored layer does not exist, a layer would lose all its units, a count is larger
    /// than a group, the criterion cannot score units or lacks its data, a layer type has no surgeon, or the model cannot
    /// be traced. The model is unchanged.
    /// </exception>
    public static SurgeryReport Compress(nn.Module<Tensor, Tensor> model, CompressionOptions options, ICriterion? criterion = null,
        IReadOnlyList<long>? inputShape = null, SurgeryMeasurement? measurement = null, TensorDataset? data = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        measurement ??= new SurgeryMeasurement();
        measurement.Validate();
        criterion ??= new MagnitudeCriterion(1);
        FiniteWeights.Check(model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
        var graph = DependencyGraph.Build(model, inputShape);
        var ignored = CheckIgnored(model, options.Ignore ?? []);
        bool Ignored(ChannelGroup g) => g.Members.Any(m => m.Role != MemberRole.Consumer && ignored.Contains(m.Name));
        var requested = new Dictionary<ChannelGroup, (long Units, string? Reason)>();
        var units = new List<ChannelGroup>();
        foreach (var group in graph.Groups.Where(g => g.IsPrunable && g.Size > 1 && !Ignored(g) && !g.IsAttentionHeads))
        {
            if (group.IsNormalized && !options.NormalizedGroups)
                requested[group] = (Request(options, group.Size, Share(group, options)),
                    $"normalised by LayerNorm '{group.Passthroughs.First(p => p.Module is TorchSharp.Modules.LayerNorm).Name}' (the residual stream): allow normalised groups to cut it");
            else
                units.Add(group);
        }
        var heads = options.Heads is null ? [] : graph.Groups.Where(g => g.IsAttentionHeads && g.IsPrunable && !Ignored(g)).ToList();
        CheckHeads(model, graph, options, heads);
        if (units.Count == 0 && heads.Count == 0 && Removes(options.Amount) && requested.Count > 0)
            throw new ArgumentException(
                $"{model.GetType().Name} has no units to compress but its residual stream, which LayerNorm normalises: remove heads (--heads), or allow normalised groups to cut the residual stream.");
        var candidates = units.Concat(heads).ToList();
        using var context = new ScoringContext(model, data, graph.InputShape);
        var scores = CriterionScoring.Groups(criterion, candidates, context);
        var kept = new Dictionary<ChannelGroup, long[]>();
        try
        {
            var values = scores.Select(s => s?.cpu().data<float>().ToArray()).ToList();
            Choose(units, values[..units.Count], options.Amount, options, "units");
            if (options.Heads is { } headAmount)
                Choose(heads, values[units.Count..], headAmount, options with { RoundTo = 1 }, "heads");
        }
        finally
        {
            foreach (var score in scores)
                score?.Dispose();
        }

        void Choose(IReadOnlyList<ChannelGroup> groups, IReadOnlyList<float[]?> values, PruningAmount amount, CompressionOptions chosen, string what)
        {
            var removals = chosen.Scope == PruningScope.Global ? GlobalRemovals(values, amount) : LocalRemovals(values, groups, amount);
            for (var i = 0; i < groups.Count; i++)
            {
                var share = chosen with { Amount = amount };
                if (values[i] is not { } unitScores)
                {
                    requested[groups[i]] = (Request(share, groups[i].Size, Share(groups[i], share)), $"no {criterion.Name} score");
                    continue;
                }
                var keep = chosen.Kept(groups[i].Size, removals[i]);
                requested[groups[i]] = (Request(chosen, groups[i].Size, removals[i]), MaxFractionReached(chosen));
                if (keep == 0)
                    throw new ArgumentException(what == "heads"
                        ? $"Compressing would remove all {groups[i].Size} heads of '{groups[i].Name[..^" heads".Length]}': an attention layer must keep at least one; lower --heads or set a per-layer maximum fraction below 1."
                        : $"Compressing would remove all {groups[i].Size} units of '{groups[i].Name}': lower the amount, set a per-layer maximum fraction below 1, or ignore that layer.");
                kept[groups[i]] = Enumerable.Range(0, unitScores.Length)
                    .OrderByDescending(u => unitScores[u]).ThenBy(u => u).Take((int)keep)
                    .Order().Select(u => (long)u).ToArray();
            }
        }

        // Groups that could not compete still count in the request: their share is what fell short, and the reason says why.
        foreach (var group in graph.Groups.Where(g => g.Producers.Any() && !g.IsFinalOutput && !Ignored(g) && !requested.ContainsKey(g) && (!g.IsAttentionHeads || options.Heads is not null)))
            requested[group] = (Request(options, group.Size, Share(group, options)), group.FixedReason is { } reason ? $"fixed: {reason}" : "a single unit, which a layer must keep");
        var removal = Account(options.Heads is null ? "units" : "units and heads", graph, requested, kept);
        var amount = options.Amount.Count is { } count
            ? $"{count} unit{(count == 1 ? "" : "s")}{(options.Scope == PruningScope.Global ? "" : " per group")}"
            : string.Create(CultureInfo.InvariantCulture, $"{options.Amount.Fraction!.Value * 100:0.#} %");
        if (options.Heads is { } removedHeads)
            amount += removedHeads.Count is { } headCount
                ? $", {headCount} head{(headCount == 1 ? "" : "s")}{(options.Scope == PruningScope.Global ? "" : " per layer")}"
                : string.Create(CultureInfo.InvariantCulture, $", {removedHeads.Fraction!.Value * 100:0.#} % of heads");
        var operation = $"compress {criterion.Name} {amount} {(options.Scope == PruningScope.Global ? "global" : "local")}{(options.RoundTo > 1 ? $", kept counts rounded to {options.RoundTo}" : "")}";
        return Operate(model, graph, measurement, operation, () => UnitRemoval.Apply(model, graph, kept), removal: removal);
    }

    private static bool Removes(PruningAmount amount) => amount.Count is { } count ? count > 0 : amount.Fraction > 0;

    /// <summary>Refuses a head amount where the graph sees no attention, or one that would take every head of some layer.</summary>
    private static void CheckHeads(nn.Module model, DependencyGraph graph, CompressionOptions options, IReadOnlyList<ChannelGroup> heads)
    {
        if (options.Heads is not { } amount || !Removes(amount))
            return;
        if (!graph.Groups.Any(g => g.IsAttentionHeads))
            throw new ArgumentException(
                $"{model.GetType().Name} has no attention layer the dependency graph can see, so no heads to remove: build attention from MultiHeadSelfAttention or implement IDeclaresAttention on it.");
        if (amount.Fraction is null && options.Scope == PruningScope.Local && heads.FirstOrDefault(g => g.Size <= amount.Count) is { } all)
            throw new ArgumentException(
                $"Removing {amount.Count} heads would remove all {all.Size} heads of '{all.Name[..^" heads".Length]}': an attention layer must keep at least one; lower --heads.");
    }

    /// <summary>
    /// What a group that cannot compete was asked for: a fraction of its units (rounded as <see cref="LocalRemovals"/>
    /// rounds), a local count (at most its size); a global count is shared out by the ranking, so such a group has no share.
    /// </summary>
    private static long Share(ChannelGroup group, CompressionOptions options) => options.Amount switch
    {
        { Fraction: { } fraction } => (long)Math.Round(fraction * group.Size, MidpointRounding.ToEven),
        { Count: { } count } when options.Scope == PruningScope.Local => Math.Min(count, group.Size),
        _ => 0,
    };

    /// <summary>
    /// The units asked of a group of <paramref name="size"/> when the criterion would remove <paramref name="remove"/>:
    /// the kept count rounded as the options ask, before the per-layer maximum fraction caps it. The cap is the only
    /// reason a scored group keeps more than this.
    /// </summary>
    private static long Request(CompressionOptions options, long size, long remove) => size - (options with { MaxFraction = 1 }).Kept(size, remove);

    private static string MaxFractionReached(CompressionOptions options) =>
        string.Create(CultureInfo.InvariantCulture, $"max fraction {options.MaxFraction:0.###} reached");

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

    /// <summary>Each group loses the amount of its own units (a fraction rounds half to even, a count is exact).</summary>
    private static long[] LocalRemovals(IReadOnlyList<float[]?> scores, IReadOnlyList<ChannelGroup> groups, PruningAmount amount) =>
        scores.Select((s, i) => s is null ? 0 : amount.Resolve(s.Length, $"units of '{groups[i].Name}'")).ToArray();

    /// <summary>Units of all groups ranked together on scores divided by their group's mean; the lowest <paramref name="amount"/> go.</summary>
    private static long[] GlobalRemovals(IReadOnlyList<float[]?> scores, PruningAmount amount)
    {
        var ranked = scores
            .SelectMany((s, g) => s is null ? [] : s.Select((value, u) => (Group: g, Unit: u, Score: Normalised(value, s))))
            .OrderBy(x => x.Score).ThenBy(x => x.Group).ThenBy(x => x.Unit)
            .ToList();
        var removals = new long[scores.Count];
        foreach (var (group, _, _) in ranked.Take((int)amount.Resolve(ranked.Count, "prunable units")))
            removals[group]++;
        return removals;
    }

    private static double Normalised(float value, float[] group)
    {
        var mean = group.Average(v => (double)v);
        return mean > 0 ? value / mean : value;
    }
}
