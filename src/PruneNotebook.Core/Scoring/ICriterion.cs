namespace PruneNotebook.Core.Scoring;

/// <summary>
/// A pruning criterion: it scores what may be removed, and the lowest scores go. What it can score is declared by the
/// capability interfaces it implements: <see cref="IEntryCriterion"/> (single entries of a parameter, for unstructured
/// masks), <see cref="IUnitCriterion"/> (slices of a parameter along a dimension, for structured masks) and
/// <see cref="IGroupCriterion"/> (coupled channel groups of a network, for <c>NetworkSurgery.Compress</c>).
/// A unit criterion also drives <c>Compress</c> (a group scores the sum of its producers' unit scores), and a group
/// criterion also drives structured masks of a layer's output units (dim 0), through the group the layer produces.
/// Names are registered once in <see cref="Criteria"/>.
/// </summary>
public interface ICriterion
{
    /// <summary>Short name shown in reports, e.g. <c>l1</c>; the registered name where there is one.</summary>
    string Name { get; }
}
