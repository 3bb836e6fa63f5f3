using System.Text.Json.Nodes;

namespace PruneNotebook.Interactive.Tests;

/// <summary>What a Jupyter kernel answered to one cell: the execute_reply status and the cell's outputs in order.</summary>
/// <param name="Status">"ok", "error" or "aborted".</param>
/// <param name="Outputs">Display data, results, streams and errors, as jupyter_kernel_driver.py reports them.</param>
public sealed record JupyterCellResult(string Status, IReadOnlyList<JsonObject> Outputs)
{
    /// <summary>The text/html of every display and result, in order.</summary>
    public IReadOnlyList<string> Html => Outputs
        .Select(o => o["data"]?["text/html"]?.GetValue<string>())
        .OfType<string>().ToArray();

    /// <summary>Every error output and stderr stream, one line each, for assertion messages.</summary>
    public string Problems => string.Join("\n", Outputs
        .Where(o => (string?)o["type"] == "error" || (string?)o["name"] == "stderr")
        .Select(o => o.ToJsonString()));
}
