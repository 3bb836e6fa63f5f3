using System.Collections.Concurrent;
using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Sweeps;

/// <summary>
/// Runs trials in a pool of worker processes on this machine (the CLI's <c>trial --serve</c>), each with its share of
/// the cores: libtorch's threads per worker = cores / workers, never more threads than cores, because libtorch's OpenMP
/// threads collapse when processes oversubscribe the CPU. A worker that dies (crash, out of memory, killed) fails only
/// the trial it was running, with the tail of its log; a new worker takes the next trial.
/// </summary>
/// <remarks>
/// Workers are reused, as joblib's reusable executor does: after a wave (a successive-halving rung, a retry) or a whole
/// sweep, the pool keeps its workers warm (runtime started, libtorch loaded, code compiled, the last data set in memory)
/// for the next one, and lets them go after <see cref="IdleTimeout"/> without work, on <see cref="Dispose()"/>, or when
/// this process exits (a worker exits when its standard input closes, so none outlives this process even if it is
/// killed). <see cref="Shared"/> gives one pool per size to every caller in the process (the notebook's magics, the
/// command line's verbs), so successive sweeps reuse the same workers. <see cref="Check"/> starts the workers, so they
/// load while the caller prepares the sweep.
/// </remarks>
public sealed class LocalPool : ISweepBackend, IDisposable
{
    /// <summary>How long an idle worker is kept by default: 5 minutes (as joblib's reusable executor).</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(5);

    private static readonly ConcurrentDictionary<(int Workers, int Threads), LocalPool> SharedPools = new();
    private static readonly ConcurrentDictionary<LocalPool, byte> Live = new();
    private static int _exitHook;

    private readonly object _gate = new();
    private readonly Stack<WorkerProcess> _idle = new();
    private readonly Timer _idleTimer;
    private WorkerProgram? _program;
    private DateTime _lastUsed = DateTime.UtcNow;
    private int _running;   // runs in progress: the idle timer waits for them
    private bool _disposed;

    /// <summary>A pool of <paramref name="workers"/> processes.</summary>
    /// <param name="workers">Processes running trials side by side (≥ 1).</param>
    /// <param name="threadsPerWorker">libtorch threads in each; default cores / workers (at least 1).</param>
    /// <param name="program">The command line to start; default <see cref="WorkerProgram.Locate"/>.</param>
    /// <param name="idleTimeout">How long a worker without work is kept; default <see cref="DefaultIdleTimeout"/>; <see cref="TimeSpan.Zero"/> lets every worker go after each run.</param>
    /// <exception cref="ArgumentException">Fewer than 1 worker or thread, or a negative timeout.</exception>
    public LocalPool(int workers, int? threadsPerWorker = null, WorkerProgram? program = null, TimeSpan? idleTimeout = null)
    {
        if (workers < 1)
            throw new ArgumentException($"A local pool needs at least 1 worker, got {workers}: pass a worker count such as {Math.Max(1, Environment.ProcessorCount)} (one per core).", nameof(workers));
        if (threadsPerWorker is < 1)
            throw new ArgumentException($"Threads per worker must be at least 1, got {threadsPerWorker}.", nameof(threadsPerWorker));
        if (idleTimeout < TimeSpan.Zero)
            throw new ArgumentException($"The idle timeout must not be negative, got {idleTimeout}.", nameof(idleTimeout));
        Workers = workers;
        ThreadsPerWorker = threadsPerWorker ?? Math.Max(1, Environment.ProcessorCount / workers);
        IdleTimeout = idleTimeout ?? DefaultIdleTimeout;
        _program = program;
        _idleTimer = new Timer(_ => LetIdleGo(), null, Timeout.Infinite, Timeout.Infinite);
        Live[this] = 0;
        if (Interlocked.Exchange(ref _exitHook, 1) == 0)
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (var pool in Live.Keys)
                    pool.Dispose(TimeSpan.FromSeconds(1));
            };
    }

    /// <summary>The pool of this process for <paramref name="workers"/> workers (default threads): the same one, with its warm workers, every time until it is disposed.</summary>
    /// <exception cref="ArgumentException">Fewer than 1 worker.</exception>
    public static LocalPool Shared(int workers)
    {
        if (workers < 1)
            throw new ArgumentException($"A local pool needs at least 1 worker, got {workers}: pass a worker count such as {Math.Max(1, Environment.ProcessorCount)} (one per core).", nameof(workers));
        var key = (workers, Math.Max(1, Environment.ProcessorCount / workers));
        while (true)
        {
            var pool = SharedPools.GetOrAdd(key, _ => new LocalPool(workers));
            if (!pool.IsDisposed)
                return pool;
            SharedPools.TryRemove(KeyValuePair.Create(key, pool));
        }
    }

    /// <summary>Processes running trials side by side.</summary>
    public int Workers { get; }

    /// <summary>libtorch threads in each worker.</summary>
    public int ThreadsPerWorker { get; }

    /// <summary>How long a worker without work is kept before it is let go.</summary>
    public TimeSpan IdleTimeout { get; }

    /// <summary>Process ids of the workers waiting warm for the next run.</summary>
    public IReadOnlyList<int> IdleWorkers
    {
        get
        {
            lock (_gate)
                return _idle.Where(w => !w.HasExited).Select(w => w.Id).ToList();
        }
    }

    private bool IsDisposed
    {
        get
        {
            lock (_gate)
                return _disposed;
        }
    }

    /// <inheritdoc />
    public string Describe() => $"local pool ({Workers} worker{(Workers == 1 ? "" : "s")} × {ThreadsPerWorker} thread{(ThreadsPerWorker == 1 ? "" : "s")})";

    /// <inheritdoc />
    /// <remarks>Finds the worker program and starts the workers the sweep's unfinished trials need, so that they load while the sweep is prepared.</remarks>
    public void Check(SweepDirectory sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        Warm(Math.Min(Workers, Math.Max(1, sweep.Unfinished().Count)));
    }

    /// <inheritdoc />
    /// <remarks>Starts the workers <paramref name="trials"/> trials need (at most <see cref="Workers"/>).</remarks>
    public void Prepare(int trials) => Warm(Math.Min(Workers, Math.Max(1, trials)));

    /// <summary>Starts workers until <paramref name="count"/> (default <see cref="Workers"/>) wait warm; returns at once (they load in the background).</summary>
    /// <exception cref="SweepBackendException">The worker program cannot be found or started.</exception>
    public void Warm(int? count = null)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var program = _program ??= WorkerProgram.Locate();
            DropDead();
            while (_idle.Count < Math.Min(Workers, count ?? Workers))
                _idle.Push(WorkerProcess.Start(program, ThreadsPerWorker, warmed: true));
            Touch();
        }
    }

    /// <inheritdoc />
    public void Run(SweepDirectory sweep, IReadOnlyList<int> trials, int attempt, Action<int, TrialState> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(report);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _program ??= WorkerProgram.Locate();
            _running++;
        }
        try
        {
            RunTrials(sweep, trials, attempt, report, cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                _running--;
                Touch();
            }
        }
    }

    private void RunTrials(SweepDirectory sweep, IReadOnlyList<int> trials, int attempt, Action<int, TrialState> report, CancellationToken cancellationToken)
    {
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
                        worker = Take();
                        live[worker.Id] = worker;
                        if (cancellationToken.IsCancellationRequested)
                            worker.Kill();
                    }
                    report(index, TrialState.Running);
                    var started = DateTimeOffset.UtcNow;
                    var reused = worker.Warmed;
                    var logged = LogLength(sweep, index);
                    var answer = worker.Run(sweep, index, attempt);
                    if (answer is null)
                    {
                        if (cancellationToken.IsCancellationRequested)
                            break;
                        var code = worker.ExitCode;
                        live.TryRemove(worker.Id, out _);
                        worker.Dispose();
                        var lastWords = worker.IdleLines();
                        worker = null;
                        if (reused && LogLength(sweep, index) == logged)
                        {
                            // A warm worker that had died while it waited (killed, out of memory) never started this trial: a fresh one runs it.
                            queue.Enqueue(index);
                            report(index, TrialState.Queued);
                            continue;
                        }
                        WorkerProcess.AppendLog(sweep, index, code, lastWords);
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
                    if (cancellationToken.IsCancellationRequested)
                        worker.Dispose();
                    else
                        GiveBack(worker);
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

    /// <summary>Lets every idle worker go: closes its input and waits for it to exit (killing one that lingers). The workers of a run in progress finish their trials and exit afterwards.</summary>
    public void Dispose() => Dispose(TimeSpan.FromSeconds(30));

    private void Dispose(TimeSpan wait)
    {
        List<WorkerProcess> idle;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }
        _idleTimer.Dispose();
        Live.TryRemove(this, out _);
        Release(idle, wait);
    }

    /// <summary>A warm worker, or a new one.</summary>
    private WorkerProcess Take()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DropDead();
            Touch();
            if (_idle.TryPop(out var warm))
                return warm;
        }
        return WorkerProcess.Start(_program!, ThreadsPerWorker, warmed: false);
    }

    /// <summary>Keeps <paramref name="worker"/> for the next run, unless the pool is full, disposed or lets workers go at once.</summary>
    private void GiveBack(WorkerProcess worker)
    {
        lock (_gate)
        {
            if (!_disposed && IdleTimeout > TimeSpan.Zero && _idle.Count < Workers && !worker.HasExited)
            {
                worker.Warmed = true;
                _idle.Push(worker);
                Touch();
                return;
            }
        }
        worker.Dispose();
    }

    /// <summary>Notes the pool was used now and arms the idle timer. Called under the lock.</summary>
    private void Touch()
    {
        _lastUsed = DateTime.UtcNow;
        if (IdleTimeout > TimeSpan.Zero && !_disposed)
            _idleTimer.Change(IdleTimeout, Timeout.InfiniteTimeSpan);
    }

    private void LetIdleGo()
    {
        List<WorkerProcess> idle;
        lock (_gate)
        {
            if (_disposed)
                return;
            var left = _running > 0 ? IdleTimeout : _lastUsed + IdleTimeout - DateTime.UtcNow;
            if (left > TimeSpan.Zero)
            {
                _idleTimer.Change(left, Timeout.InfiniteTimeSpan);
                return;
            }
            idle = [.. _idle];
            _idle.Clear();
        }
        Release(idle, TimeSpan.FromSeconds(30));
    }

    /// <summary>Drops idle workers that died while they waited. Called under the lock.</summary>
    private void DropDead()
    {
        if (!_idle.Any(w => w.HasExited))
            return;
        var alive = _idle.Reverse().ToList();
        _idle.Clear();
        foreach (var worker in alive)
        {
            if (worker.HasExited)
                worker.Dispose(TimeSpan.Zero);
            else
                _idle.Push(worker);
        }
    }

    private static void Release(IReadOnlyList<WorkerProcess> workers, TimeSpan wait)
    {
        Parallel.ForEach(workers, w => w.Dispose(wait));
    }

    private static long LogLength(SweepDirectory sweep, int index)
    {
        try
        {
            var log = new FileInfo(sweep.LogPath(index));
            return log.Exists ? log.Length : 0;
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
