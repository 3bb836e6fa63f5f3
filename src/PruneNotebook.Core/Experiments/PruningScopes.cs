using PruneNotebook.Core.Pruning;

namespace PruneNotebook.Core.Experiments;

/// <summary>Scope names in trial specs: <c>local</c> or <c>global</c>.</summary>
internal static class PruningScopes
{
    public static PruningScope Parse(string? scope) => scope?.Trim().ToLowerInvariant() switch
    {
        "local" => PruningScope.Local,
        "global" => PruningScope.Global,
        _ => throw new ArgumentException($"Unknown scope '{scope}': expected local or global."),
    };
}
