using PruneNotebook.Core.Data;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Surgery;

namespace PruneNotebook.Core.Experiments;

/// <summary>Criterion names in trial specs and tradeoff studies, resolved in one place.</summary>
internal static class ExperimentCriteria
{
    /// <summary>The names a prune step (masks) accepts.</summary>
    public static IReadOnlyList<string> WeightNames { get; } = ["l1", "l2", "random"];

    /// <summary>The names a compress step (surgery) accepts.</summary>
    public static IReadOnlyList<string> UnitNames { get; } = ["l1", "l2", "random", "bn", "taylor", "apoz"];

    /// <summary>
    /// The one place where a criterion name becomes a criterion: how it scores single weights (mask pruning) and how it
    /// scores units (surgery), either <c>null</c> when the criterion cannot. <paramref name="seed"/> seeds <c>random</c>;
    /// <c>taylor</c> and <c>apoz</c> measure <paramref name="data"/>. When Core gains one registry of criteria by name,
    /// this function becomes a call to it.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static (IImportance? Weights, IGroupImportance? Units) Resolve(string name, long seed, TensorDataset? data) =>
        name?.Trim().ToLowerInvariant() switch
        {
            "l1" => (new LnNormImportance(1), new MagnitudeImportance(1)),
            "l2" => (new LnNormImportance(2), new MagnitudeImportance(2)),
            "random" => (new RandomImportance(seed), new RandomUnitImportance(seed)),
            "bn" => (null, new BatchNormScaleImportance()),
            "taylor" => (null, data is null ? null : new TaylorImportance(data)),
            "apoz" => (null, data is null ? null : new ApozImportance(data)),
            _ => throw new ArgumentException($"Unknown criterion '{name}': expected one of {string.Join(", ", UnitNames)}."),
        };

    /// <summary>The criterion <paramref name="name"/> for mask pruning (dispose it if it is disposable).</summary>
    /// <exception cref="ArgumentException">Unknown name, or a criterion that only scores units.</exception>
    public static IImportance ForWeights(string name, long seed)
    {
        var (weights, units) = Resolve(name, seed, null);
        (units as IDisposable)?.Dispose();
        return weights ?? throw new ArgumentException(
            $"Criterion '{name}' scores whole units, not single weights: use it in a compress step, or prune with one of {string.Join(", ", WeightNames)}.");
    }

    /// <summary>The criterion <paramref name="name"/> for surgery (dispose it if it is disposable).</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static IGroupImportance ForUnits(string name, long seed, TensorDataset data)
    {
        var (weights, units) = Resolve(name, seed, data);
        (weights as IDisposable)?.Dispose();
        return units!;
    }

    /// <summary>Throws unless <paramref name="name"/> can prune single weights.</summary>
    public static void CheckWeightCriterion(string name) => (ForWeights(name, 0) as IDisposable)?.Dispose();

    /// <summary>Throws unless <paramref name="name"/> is a known unit criterion.</summary>
    public static void CheckUnitCriterion(string name)
    {
        var (weights, units) = Resolve(name, 0, null);
        (weights as IDisposable)?.Dispose();
        (units as IDisposable)?.Dispose();
    }
}
