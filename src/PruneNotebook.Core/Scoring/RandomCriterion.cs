using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Scoring;

/// <summary>
/// Random scores from a generator seeded with <paramref name="seed"/>: the same seed prunes the same entries or units
/// (PyTorch's <c>random_unstructured</c> / <c>random_structured</c>, made reproducible), and a random baseline for
/// compression. Scores are drawn on the CPU and moved to the parameter's device, so every device prunes alike.
/// </summary>
/// <param name="seed">Seed of the generator; each call draws the next numbers.</param>
public sealed class RandomCriterion(long seed = 0) : IEntryCriterion, IUnitCriterion, IGroupCriterion, IDisposable
{
    private readonly Generator _generator = new((ulong)seed);

    /// <summary>The seed.</summary>
    public long Seed { get; } = seed;

    /// <inheritdoc />
    public string Name => "random";

    /// <inheritdoc />
    public Tensor ScoreEntries(Tensor parameter, string name, ScoringContext context)
    {
        using var cpu = rand(parameter.shape, generator: _generator);
        return cpu.to(parameter.device);
    }

    /// <inheritdoc />
    public Tensor ScoreUnits(Tensor parameter, string name, int dim, ScoringContext context)
    {
        using var cpu = rand([parameter.shape[dim]], generator: _generator);
        return cpu.to(parameter.device);
    }

    /// <inheritdoc />
    public IReadOnlyList<Tensor?> ScoreGroups(IReadOnlyList<ChannelGroup> groups, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return groups.Select(group =>
        {
            var device = group.Producers.Select(p => p.Module.parameters().FirstOrDefault()?.device).FirstOrDefault(d => d is not null) ?? CPU;
            using var cpu = rand([group.Size], generator: _generator);
            return (Tensor?)cpu.to(device);
        }).ToList();
    }

    /// <inheritdoc />
    public void Dispose() => _generator.Dispose();
}
