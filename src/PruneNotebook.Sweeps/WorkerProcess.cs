using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Sweeps;

/// <summary>
/// One <c>prunenotebook trial --serve</c> process of a <see cref="LocalPool"/>: it reads requests
/// (<c>run &lt;attempt&gt; &lt;index&gt; &lt;sweep-dir&gt;</c>) on its standard input and answers <c>@@trial &lt;index&gt; done|failed</c>
/// on its standard output once the result is written, so torch is loaded once per worker, not once per trial, and a warm
/// worker serves one sweep after another. It exits when its input closes (this process let it go, or died). Anything
/// else the process prints (libtorch's native warnings, a crash's last words) is appended to the log of the trial it is
/// running.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    /// <summary>The prefix of the worker's answer line.</summary>
    public const string AnswerPrefix = "@@trial ";

    private readonly Process _process;
    private volatile SweepDirectory? _sweep;
    private volatile int _current = -1;
    private string? _lastErrorLine;
    private readonly Queue<string> _idleLines = new();   // what it printed while no trial ran (a failed start's last words)

    private WorkerProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    /// <summary>Trials this worker has been given.</summary>
    public int Served { get; private set; }

    /// <summary>Whether it waited for work in a pool (started ahead, or kept after a run), so may have died while it waited.</summary>
    public bool Warmed { get; set; }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>Starts a worker; it loads libtorch at once and then waits for requests.</summary>
    /// <exception cref="SweepBackendException">The program cannot be started.</exception>
    /// <param name="program">The command line.</param>
    /// <param name="threads">libtorch threads.</param>
    /// <param name="warmed">Whether it is started ahead of work, to wait warm (<see cref="Warmed"/>).</param>
    public static WorkerProcess Start(WorkerProgram program, int threads, bool warmed)
    {
        var start = program.StartInfo(["trial", "--serve", "--threads", threads.ToString(CultureInfo.InvariantCulture)], threads);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new SweepBackendException($"Could not start a worker process ({program.FileName}).");
        }
        catch (Win32Exception e)
        {
            throw new SweepBackendException($"Could not start a worker process '{program.FileName}': {e.Message}. Set {WorkerProgram.Variable} to the prunenotebook.dll of a build.", e);
        }
        var worker = new WorkerProcess(process) { Warmed = warmed };
        process.ErrorDataReceived += (_, e) => worker.OnError(e.Data);
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Has the worker run trial <paramref name="index"/> of <paramref name="sweep"/>; returns its answer (<c>done</c> or <c>failed</c>), or <c>null</c> when the process died first.</summary>
    public string? Run(SweepDirectory sweep, int index, int attempt)
    {
        if (sweep.Path.Contains('\n', StringComparison.Ordinal))
            throw new SweepBackendException($"A local pool cannot run sweeps in a directory whose path holds a line break: '{sweep.Path}'.");
        _sweep = sweep;
        _current = index;
        Served++;
        try
        {
            _process.StandardInput.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {attempt} {index} {sweep.Path}"));
            _process.StandardInput.Flush();
            for (var line = _process.StandardOutput.ReadLine(); line is not null; line = _process.StandardOutput.ReadLine())
            {
                if (line.StartsWith(AnswerPrefix, StringComparison.Ordinal))
                {
                    var parts = line[AnswerPrefix.Length..].Split(' ', 2);
                    if (parts.Length == 2 && parts[0] == index.ToString(CultureInfo.InvariantCulture))
                        return parts[1].Trim();
                }
                Append(index, line);
            }
        }
        catch (IOException)
        {
            // The pipe broke: the process is gone.
        }
        finally
        {
            _current = -1;
        }
        _process.WaitForExit();
        return null;
    }

    /// <summary>The exit code, once the process has ended (137 when killed, as shells report it).</summary>
    public int ExitCode => _process.HasExited ? _process.ExitCode : -1;

    /// <summary>Kills the process and its children.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>Closes its input (the worker exits after its current trial) and waits for it; kills it if it lingers.</summary>
    public void Dispose() => Dispose(TimeSpan.FromSeconds(30));

    /// <summary>Closes its input and waits up to <paramref name="wait"/> for it to exit; kills it if it lingers.</summary>
    public void Dispose(TimeSpan wait)
    {
        try
        {
            if (!_process.HasExited)
                _process.StandardInput.Close();
            if (!_process.WaitForExit(wait))
                Kill();
            _process.WaitForExit();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            Kill();
        }
        _process.Dispose();
    }

    private void OnError(string? line)
    {
        if (line is null)
            return;
        var index = _current;
        if (index < 0)
        {
            lock (_idleLines)
            {
                _idleLines.Enqueue(line);
                if (_idleLines.Count > 20)
                    _idleLines.Dequeue();
            }
            return;
        }
        if (line == _lastErrorLine)
            return;
        _lastErrorLine = line;
        Append(index, line);
    }

    /// <summary>What the process printed on its error stream while it ran no trial (the last 20 lines): a failed start's last words.</summary>
    public IReadOnlyList<string> IdleLines()
    {
        lock (_idleLines)
            return [.. _idleLines];
    }

    /// <summary>Appends a dead worker's <paramref name="lines"/> to trial <paramref name="index"/>'s log.</summary>
    public static void AppendLog(SweepDirectory sweep, int index, int code, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
            return;
        try
        {
            File.AppendAllText(sweep.LogPath(index), string.Concat(lines.Select(l => $"[worker, exit code {code}] {l}\n")));
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private void Append(int index, string line)
    {
        if (_sweep is not { } sweep)
            return;
        try
        {
            File.AppendAllText(sweep.LogPath(index), $"[worker {_process.Id}] {line}\n");
        }
        catch (IOException)
        {
            // The log is best effort; the result is what counts.
        }
    }
}
