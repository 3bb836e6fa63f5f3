namespace PruneNotebook.Core.Pruning;

/// <summary>Where the pruning amount applies.</summary>
public enum PruningScope
{
    /// <summary>To each parameter on its own: every parameter loses the same fraction.</summary>
    Local,

    /// <summary>To all the parameters together: one threshold across them (PyTorch's <c>global_unstructured</c>).</summary>
    Global,
}
