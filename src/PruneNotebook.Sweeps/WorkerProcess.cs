using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Sweeps;

/// <summary>
/// One <c>prunenotebook trial &lt;sweep-dir&gt; --serve</c> process of a <see cref="LocalPool"/>: it reads trial indices on
/// its standard input and answers <c>@@trial &lt;index&gt; done|failed</c> on its standard output once the result is
/// written, so torch is loaded once per worker, not once per trial. Anything else the process prints (libtorch's native
/// warnings, a crash's last words) is appended to the log of the trial it is running.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    /// <summary>The prefix of the worker's answer line.</summary>
    public const string AnswerPrefix = "@@trial ";

    private readonly Process _process;
    private readonly SweepDirectory _sweep;
    private volatile int _current = -1;
    private string? _lastErrorLine;

    private WorkerProcess(Process process, SweepDirectory sweep)
    {
        _process = process;
        _sweep = sweep;
    }

    public int Id => _process.Id;

    /// <summary>Starts a worker for <paramref name="sweep"/>.</summary>
    /// <exception cref="SweepBackendException">The program cannot be started.</exception>
    public static WorkerProcess Start(WorkerProgram program, SweepDirectory sweep, int attempt, int threads)
    {
        var start = program.StartInfo(["trial", sweep.Path, "--serve", "--attempt", attempt.ToString(CultureInfo.InvariantCulture),
            "--threads", threads.ToString(CultureInfo.InvariantCulture)], threads);
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
        var worker = new WorkerProcess(process, sweep);
        process.ErrorDataReceived += (_, e) => worker.OnError(e.Data);
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Has the worker run trial <paramref name="index"/>; returns its answer (<c>done</c> or <c>failed</c>), or <c>null</c> when the process died first.</summary>
    public string? Run(int index)
    {
        _current = index;
        try
        {
            _process.StandardInput.WriteLine(index.ToString(CultureInfo.InvariantCulture));
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
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
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
        var index = _current;
        if (line is null || index < 0 || line == _lastErrorLine)
            return;
        _lastErrorLine = line;
        Append(index, line);
    }

    private void Append(int index, string line)
    {
        try
        {
            File.AppendAllText(_sweep.LogPath(index), $"[worker {_process.Id}] {line}\n");
        }
        catch (IOException)
        {
            // The log is best effort; the result is what counts.
        }
    }
}
