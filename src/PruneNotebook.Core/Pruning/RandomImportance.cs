using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>
/// Random scores from a generator seeded with <paramref name="seed"/>: the same seed prunes the same
/// entries (PyTorch's <c>random_unstructured</c> / <c>random_structured</c>, made reproducible).
/// Scores are drawn on the CPU and moved to the parameter's device, so every device prunes alike.
/// </summary>
/// <param name="seed">Seed of the generator; each call draws the next numbers.</param>
public sealed class RandomImportance(long seed = 0) : IImportance, IDisposable
{
    private readonly Generator _generator = new((ulong)seed);

    /// <inheritdoc />
    public string Name => "random";

    /// <inheritdoc />
    public Tensor Score(Tensor parameter, string name)
    {
        using var cpu = rand(parameter.shape, generator: _generator);
        return cpu.to(parameter.device);
    }

    /// <inheritdoc />
    public Tensor ScoreUnits(Tensor parameter, string name, int dim)
    {
        using var cpu = rand([parameter.shape[dim]], generator: _generator);
        return cpu.to(parameter.device);
    }

    /// <inheritdoc />
    public void Dispose() => _generator.Dispose();
}
