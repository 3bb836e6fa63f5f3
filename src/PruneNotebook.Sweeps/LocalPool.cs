using System.Collections.Concurrent;
using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Sweeps;

/// <summary>
/// Runs trials in a pool of worker processes on this machine (the CLI's <c>trial --serve</c>), each with its share of
/// the cores: libtorch's threads per worker = cores / workers, never more threads than cores, because libtorch's OpenMP
/// threads collapse when processes oversubscribe the CPU. A worker that dies (crash, out of memory, killed) fails only
/// the trial it was running, with the tail of its log; a new worker takes the next trial.
/// </summary>
public sealed class LocalPool : ISweepBackend
{
    private WorkerProgram? _program;

    /// <summary>A pool of <paramref name="workers"/> processes.</summary>
    /// <param name="workers">Processes running trials side by side (≥ 1).</param>
    /// <param name="threadsPerWorker">libtorch threads in each; default cores / workers (at least 1).</param>
    /// <param name="program">The command line to start; default <see cref="WorkerProgram.Locate"/>.</param>
    /// <exception cref="ArgumentException">Fewer than 1 worker or thread.</exception>
    public LocalPool(int workers, int? threadsPerWorker = null, WorkerProgram? program = null)
    {
        if (workers < 1)
            throw new ArgumentException($"A local pool needs at least 1 worker, got {workers}: pass a worker count such as {Math.Max(1, Environment.ProcessorCount)} (one per core).", nameof(workers));
        if (threadsPerWorker is < 1)
            throw new ArgumentException($"Threads per worker must be at least 1, got {threadsPerWorker}.", nameof(threadsPerWorker));
        Workers = workers;
        ThreadsPerWorker = threadsPerWorker ?? Math.Max(1, Environment.ProcessorCount / workers);
        _program = program;
    }

    /// <summary>Processes running trials side by side.</summary>
    public int Workers { get; }

    /// <summary>libtorch threads in each worker.</summary>
    public int ThreadsPerWorker { get; }

    /// <inheritdoc />
    public string Describe() => $"local pool ({Workers} worker{(Workers == 1 ? "" : "s")} × {ThreadsPerWorker} thread{(ThreadsPerWorker == 1 ? "" : "s")})";

    /// <inheritdoc />
    public void Check(SweepDirectory sweep) => _program ??= WorkerProgram.Locate();

    /// <inheritdoc />
    public void Run(SweepDirectory sweep, IReadOnlyList<int> trials, int attempt, Action<int, TrialState> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(report);
        var program = _program ??= WorkerProgram.Locate();
        var queue = new ConcurrentQueue<int>(trials);
        var live = new ConcurrentDictionary<int, WorkerProcess>();
        var errors = new ConcurrentQueue<Exception>();
        using var registration = cancellationToken.Register(() =>
        {
            foreach (var worker in live.Values)
                worker.Kill();
        });

        void Serve()
        {
            WorkerProcess? worker = null;
            try
            {
                while (!cancellationToken.IsCancellationRequested && queue.TryDequeue(out var index))
                {
                    if (worker is null)
                    {
                        worker = WorkerProcess.Start(program, sweep, attempt, ThreadsPerWorker);
                        live[worker.Id] = worker;
                        if (cancellationToken.IsCancellationRequested)
                            worker.Kill();
                    }
                    report(index, TrialState.Running);
                    var started = DateTimeOffset.UtcNow;
                    var answer = worker.Run(index);
                    if (answer is null)
                    {
                        if (cancellationToken.IsCancellationRequested)
                            break;
                        var code = worker.ExitCode;
                        live.TryRemove(worker.Id, out _);
                        worker.Dispose();
                        worker = null;
                        if (sweep.ReadResult(index) is not { } written || written.Attempt != attempt || written.Finished < started)
                            sweep.WriteResult(TrialResult.Failure(index, attempt,
                                $"The worker process exited with code {code} while running this trial (a crash, out of memory, or killed).", sweep.LogTail(index)));
                    }
                    report(index, sweep.StateOf(index));
                }
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
            finally
            {
                if (worker is not null)
                {
                    live.TryRemove(worker.Id, out _);
                    worker.Dispose();
                }
            }
        }

        var threads = Enumerable.Range(0, Math.Min(Workers, trials.Count))
            .Select(w => new Thread(Serve) { IsBackground = true, Name = $"sweep worker {w}" })
            .ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        cancellationToken.ThrowIfCancellationRequested();
        if (errors.TryDequeue(out var error))
            throw error is SweepBackendException ? error : new SweepBackendException($"The local pool stopped: {error.GetType().Name}: {error.Message.Split('\n', 2)[0]}", error);
    }
}
