using static TorchSharp.torch;

namespace PruneNotebook.Core.Runtime;

/// <summary>
/// Seeds TorchSharp's global generator for a stretch of work and gives the caller's state back afterwards (PyTorch's
/// <c>torch.random.fork_rng</c>). Layer constructors and dropout draw from the global generator and take no generator of
/// their own, so a reproducible fit must seed it; a library call must not leave the user's seed changed, so the state is
/// saved first and restored on <see cref="Dispose"/>. Only the CPU generator is saved: CUDA generators are seeded with it
/// (as <c>manual_seed</c> does) and not restored.
/// </summary>
public sealed class SeededGlobalRandom : IDisposable
{
    private readonly Tensor _saved;
    private bool _disposed;

    private SeededGlobalRandom(long seed)
    {
        TorchNativeLibraries.EnsureLoaded();
        _saved = get_rng_state().DetachFromDisposeScope();
        manual_seed(seed);
    }

    /// <summary>Saves the global generator's state and seeds it with <paramref name="seed"/> until the result is disposed.</summary>
    public static SeededGlobalRandom Seed(long seed) => new(seed);

    /// <summary>Puts the saved state back.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        set_rng_state(_saved);
        _saved.Dispose();
    }
}
