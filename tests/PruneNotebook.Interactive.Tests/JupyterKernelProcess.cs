using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PruneNotebook.Interactive.Tests;

/// <summary>
/// An installed Jupyter kernel started as Jupyter starts it: jupyter_client's KernelManager runs the argv of its
/// kernel spec (kernel.json), driven by tests/probes/jupyter_kernel_driver.py under the system Python.
/// </summary>
public sealed class JupyterKernelProcess : IDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromMinutes(10);
    private readonly Process _driver;
    private readonly StringBuilder _stderr = new();

    private JupyterKernelProcess(Process driver)
    {
        _driver = driver;
        _driver.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        _driver.BeginErrorReadLine();
    }

    /// <summary>The process the kernel spec's argv started (the kernel runs in it or in its descendants).</summary>
    public int KernelProcessId { get; private set; }

    /// <summary>The kernel spec's command line, as installed.</summary>
    public IReadOnlyList<string> Argv { get; private set; } = [];

    /// <summary>The shell, iopub, stdin, control and heartbeat ports of the connection file.</summary>
    public IReadOnlyList<int> ConnectionPorts { get; private set; } = [];

    /// <summary>Starts the kernel named <paramref name="kernelName"/> (e.g. ".net-csharp") in <paramref name="workingDirectory"/>.</summary>
    public static async Task<JupyterKernelProcess> StartAsync(string kernelName, string workingDirectory)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var script = Path.Combine(Repository.Root, "tests", "probes", "jupyter_kernel_driver.py");
        var kernel = new JupyterKernelProcess(Process.Start(new ProcessStartInfo(python, [script, kernelName, workingDirectory])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!);
        try
        {
            var ready = await kernel.ReadReplyAsync();
            kernel.KernelProcessId = ready["pid"]!.GetValue<int>();
            kernel.Argv = ready["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
            kernel.ConnectionPorts = ready["ports"]!.AsArray().Select(p => p!.GetValue<int>()).ToArray();
            return kernel;
        }
        catch
        {
            kernel.Dispose();
            throw;
        }
    }

    /// <summary>Runs one cell and returns its reply status and outputs.</summary>
    public async Task<JupyterCellResult> ExecuteAsync(string code)
    {
        await _driver.StandardInput.WriteLineAsync(JsonSerializer.Serialize(code));
        await _driver.StandardInput.FlushAsync();
        var reply = await ReadReplyAsync();
        return new JupyterCellResult(reply["status"]!.GetValue<string>(), reply["outputs"]!.AsArray().Select(o => o!.AsObject()).ToArray());
    }

    /// <summary>Shuts the kernel down as Jupyter does (end of input to the driver); kills the tree if it does not stop.</summary>
    public void Dispose()
    {
        try
        {
            _driver.StandardInput.Close();
        }
        catch (IOException)
        {
            // The driver already exited.
        }
        if (!_driver.WaitForExit(TimeSpan.FromSeconds(60)))
            _driver.Kill(entireProcessTree: true);
        _driver.WaitForExit();
        _driver.Dispose();
    }

    private async Task<JsonObject> ReadReplyAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        string? line;
        try
        {
            line = await _driver.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            line = null;
        }
        if (line is not null)
            return JsonNode.Parse(line)!.AsObject();
        string tail;
        lock (_stderr) tail = _stderr.ToString()[Math.Max(0, _stderr.Length - 4000)..];
        throw new InvalidOperationException($"the Jupyter kernel driver stopped answering (exited: {_driver.HasExited}); its stderr ends with:\n{tail}");
    }
}
