using Microsoft.DotNet.Interactive.Commands;

namespace PruneNotebook.Interactive;

/// <summary><c>#!recipe &lt;file&gt; [--model &lt;variable&gt;]</c>: runs a recipe file's steps as <c>prunenotebook run</c> does.</summary>
public sealed class RecipeCommand : KernelDirectiveCommand
{
    /// <summary>The recipe file (YAML or JSON), relative to the notebook's working folder.</summary>
    public string File { get; set; } = "";

    /// <summary>C# variable to keep the model the recipe leaves in (optional).</summary>
    public string? Model { get; set; }
}
