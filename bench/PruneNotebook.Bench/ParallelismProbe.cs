using System.Diagnostics;

namespace PruneNotebook.Bench;

/// Checks whether the machine really runs N threads at once: the same busy loop on 1 thread, then on N threads
/// together. On an oversubscribed VM the N-thread figures of any framework are meaningless, so say so up front.
public static class ParallelismProbe
{
    private const long Iterations = 50_000_000;

    /// Per-thread speed with <paramref name="threads"/> threads running together, relative to one thread alone (ideal 1.0).
    public static double Efficiency(int threads)
    {
        var single = Time(1);
        var parallel = Time(threads);
        return single / parallel;
    }

    private static double Time(int threads)
    {
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(Spin) { IsBackground = true }).ToArray();
        var watch = Stopwatch.StartNew();
        foreach (var worker in workers)
            worker.Start();
        foreach (var worker in workers)
            worker.Join();
        return watch.Elapsed.TotalSeconds;
    }

    private static void Spin()
    {
        ulong x = 88172645463325252UL;
        for (long i = 0; i < Iterations; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        GC.KeepAlive(x);
    }
}
