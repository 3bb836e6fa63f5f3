namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Implemented by a container module whose forward adds the outputs of some branches (a residual block), so that
/// <see cref="DependencyGraph"/> can couple their channels: the same channel must be removed from every branch. The
/// addition itself is plain tensor arithmetic that forward hooks cannot see; this declaration makes it visible.
/// The module's output must be the sum, optionally followed by a channel-wise activation (e.g. ReLU).
/// </summary>
public interface IDeclaresCoupling
{
    /// <summary>
    /// Names (relative to this module, e.g. <c>bn2</c> or <c>shortcut</c>) of the children whose outputs are added to
    /// form this module's output; the empty string stands for this module's own input (an identity shortcut).
    /// </summary>
    IReadOnlyList<string> AddedBranches { get; }
}
