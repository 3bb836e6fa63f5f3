using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Interactive;

/// <summary>
/// Runs a sweep off the kernel's thread while the cell shows its progress (one output updated in place, at most twice a
/// second, from the kernel's own thread); an interrupt of the cell cancels the sweep.
/// </summary>
internal static class LiveSweep
{
    public static T Run<T>(KernelInvocationContext context, Func<IProgress<SweepProgress>, CancellationToken, T> run)
    {
        var latest = new Latest();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var task = Task.Run(() => run(latest, cancel.Token), cancel.Token);
        DisplayedValue? display = null;
        var shown = -1;
        void Show()
        {
            if (latest.Value is not { } progress || latest.Version == shown)
                return;
            shown = latest.Version;
            if (display is null)
                display = context.Display(progress, "text/html");
            else
                display.Update(progress);
        }
        var watch = Stopwatch.StartNew();
        try
        {
            while (!task.Wait(TimeSpan.FromMilliseconds(500)))
            {
                if (context.CancellationToken.IsCancellationRequested)
                    cancel.Cancel();
                Show();
            }
            Show();
            return task.Result;
        }
        catch (AggregateException e) when (e.InnerException is not null)
        {
            Show();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private sealed class Latest : IProgress<SweepProgress>
    {
        private SweepProgress? _value;
        private int _version;

        public SweepProgress? Value => Volatile.Read(ref _value);

        public int Version => Volatile.Read(ref _version);

        public void Report(SweepProgress value)
        {
            Volatile.Write(ref _value, value);
            Interlocked.Increment(ref _version);
        }
    }
}
