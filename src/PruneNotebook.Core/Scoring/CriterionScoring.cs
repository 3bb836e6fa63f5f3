using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Scoring;

/// <summary>
/// Scores with whatever a criterion declares it can score: entries directly; units directly or, for a group criterion,
/// through the channel group a layer produces; groups directly or, for a unit criterion, as the sum of the producers'
/// unit scores. A criterion that cannot score what is asked is refused with one line.
/// </summary>
internal static class CriterionScoring
{
    /// <summary>Whether <paramref name="criterion"/> can score <paramref name="use"/>, directly or through an adapter.</summary>
    public static bool Supports(ICriterion criterion, CriterionUse use) => use switch
    {
        CriterionUse.Entries => criterion is IEntryCriterion,
        _ => criterion is IUnitCriterion or IGroupCriterion,
    };

    /// <summary>The criterion as an entry criterion.</summary>
    /// <exception cref="ArgumentException">It scores only units or groups.</exception>
    public static IEntryCriterion Entries(ICriterion criterion)
    {
        ArgumentNullException.ThrowIfNull(criterion);
        return criterion as IEntryCriterion
            ?? throw new ArgumentException($"The {criterion.Name} criterion scores whole units, not single weights: prune structured (whole units) with it, or choose a criterion that scores weights ({string.Join(", ", Criteria.Scoring(CriterionUse.Entries))}).");
    }

    /// <summary>Checks up front that <paramref name="criterion"/> can score units along <paramref name="dim"/>.</summary>
    /// <exception cref="ArgumentException">It scores only entries, or only output units and <paramref name="dim"/> is not 0.</exception>
    public static void CheckUnits(ICriterion criterion, int dim)
    {
        ArgumentNullException.ThrowIfNull(criterion);
        if (criterion is IUnitCriterion)
            return;
        if (criterion is not IGroupCriterion)
            throw new ArgumentException($"The {criterion.Name} criterion scores single weights only, not whole units: prune unstructured with it, or choose a criterion that scores units ({string.Join(", ", Criteria.Scoring(CriterionUse.Units))}).");
        if (dim != 0)
            throw new ArgumentException($"The {criterion.Name} criterion scores a layer's output units (dim 0) through what follows them, not dim {dim}: use dim 0.");
    }

    /// <summary>One score per unit of <paramref name="parameter"/> along <paramref name="dim"/>.</summary>
    /// <exception cref="ArgumentException">The criterion cannot score these units (see <see cref="CheckUnits"/>; or no group to score them by).</exception>
    public static Tensor Units(ICriterion criterion, Tensor parameter, string name, int dim, ScoringContext context)
    {
        CheckUnits(criterion, dim);
        if (criterion is IUnitCriterion units)
            return units.ScoreUnits(parameter, name, dim, context);
        var layer = name.Contains('.') ? name[..name.LastIndexOf('.')] : "";
        var graph = context.Shared("dependency-graph", () => DependencyGraph.Build(context.Network(criterion), context.InputShape));
        var group = graph.Groups.FirstOrDefault(g => g.Producers.Any(p => p.Name == layer));
        if (group is null || group.Size != parameter.shape[0])
            throw new ArgumentException($"The {criterion.Name} criterion scores the units a layer produces, and '{name}' is not the weight of a layer that produces units: choose another criterion or other layers.");
        var scores = ((IGroupCriterion)criterion).ScoreGroups([group], context)[0];
        return scores ?? throw new ArgumentException(
            $"The {criterion.Name} criterion has no score for the units of '{name}' (what it measures does not follow {layer}: {group}): choose another criterion or other layers.");
    }

    /// <summary>One score per unit for each group, or <c>null</c> where the criterion cannot score a group.</summary>
    public static IReadOnlyList<Tensor?> Groups(ICriterion criterion, IReadOnlyList<ChannelGroup> groups, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(criterion);
        if (criterion is IGroupCriterion direct)
            return direct.ScoreGroups(groups, context);
        if (criterion is not IUnitCriterion units)
            throw new ArgumentException($"The {criterion.Name} criterion scores single weights only, not whole units: compress with a criterion that scores units ({string.Join(", ", Criteria.Scoring(CriterionUse.Groups))}).");
        return groups.Select(group =>
        {
            using var scope = NewDisposeScope();
            Tensor? total = null;
            foreach (var producer in group.Producers)
            {
                var weight = producer.Module.named_parameters(recurse: false).Where(p => p.name == "weight").Select(p => p.parameter).FirstOrDefault();
                if (weight is null || weight.dim() < 1 || weight.shape[0] != group.Size)
                    return null;
                var score = units.ScoreUnits(weight, producer.Name + ".weight", 0, context).to_type(ScalarType.Float32);
                total = total is null ? score : total.add_(score);
            }
            return total?.MoveToOuterDisposeScope();
        }).ToList();
    }
}
