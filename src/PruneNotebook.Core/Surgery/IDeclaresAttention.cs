namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Implemented by a multi-head self-attention container so that <see cref="DependencyGraph"/> can see its heads: the
/// query, key and value projections (Linear layers producing heads·<see cref="HeadDim"/> features, head h owning
/// features [h·HeadDim, (h+1)·HeadDim)) and the output projection consuming them are joined into one group whose units
/// are heads. The arithmetic between them (splitting heads, softmax, the two matmuls) is invisible to forward hooks;
/// this declaration makes it visible. Removing head h removes its rows of the query, key and value projections and its
/// columns of the output projection. The container must compute its head count from the projections' widths, so a
/// smaller copy of them is all surgery needs to change.
/// </summary>
public interface IDeclaresAttention
{
    /// <summary>Local name of the query projection (a Linear child).</summary>
    string QueryName { get; }

    /// <summary>Local name of the key projection (a Linear child).</summary>
    string KeyName { get; }

    /// <summary>Local name of the value projection (a Linear child).</summary>
    string ValueName { get; }

    /// <summary>Local name of the output projection (a Linear child taking the concatenated heads).</summary>
    string OutputName { get; }

    /// <summary>Features per head (the same for the query, key and value projections).</summary>
    long HeadDim { get; }
}
