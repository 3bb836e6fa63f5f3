using static TorchSharp.torch;

namespace PruneNotebook.Core.Runtime;

/// <summary>
/// Runs the training of a small network on one libtorch thread and gives the caller's thread count back afterwards. For
/// a tabular MLP (a few thousand parameters, batches of 16 to 128) the work of each step is too small to split, and
/// libtorch's threads only add synchronization: measured on 2 cores, a 13-64-3 MLP with batch 16 steps 1.9× faster on one
/// thread, a 64-256-10 MLP with batch 32 1.5× faster, and a 784-128-10 MLP with batch 64 (parameters × batch ≈ 6.5
/// million) breaks even. Work below <see cref="Limit"/> therefore runs on one thread, unless
/// <see cref="OptOutVariable"/> is <c>1</c>. libtorch's thread count is a setting of the calling OS thread under OpenMP,
/// so this is disposed on the thread that made it (<see cref="Optimization.Trainer.Fit"/> runs on its caller's thread).
/// </summary>
internal sealed class SmallNetworkThreads : IDisposable
{
    /// <summary>Parameters × batch size below which one thread is used.</summary>
    public const long Limit = 1L << 21;

    /// <summary>Set to <c>1</c> to train every network on the caller's libtorch thread count.</summary>
    public const string OptOutVariable = "PRUNENOTEBOOK_KEEP_THREADS";

    private readonly int _saved;
    private bool _disposed;

    private SmallNetworkThreads(int saved)
    {
        _saved = saved;
        set_num_threads(1);
    }

    /// <summary>One thread until disposed if <paramref name="model"/> trained with <paramref name="batchSize"/> is small work and more threads are set; otherwise null (nothing changes).</summary>
    public static SmallNetworkThreads? For(nn.Module model, int batchSize)
    {
        var threads = get_num_threads();
        if (threads <= 1 || Environment.GetEnvironmentVariable(OptOutVariable) == "1")
            return null;
        var parameters = model.parameters().Sum(p => p.numel());
        return parameters * Math.Max(1, batchSize) < Limit ? new SmallNetworkThreads(threads) : null;
    }

    /// <summary>Gives the earlier thread count back.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        set_num_threads(_saved);
    }
}
