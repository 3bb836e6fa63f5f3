namespace PruneNotebook.Core.Models;

/// <summary>A model that knows the shape of one input example, so tools can trace it without being told.</summary>
public interface IKnowsInputShape
{
    /// <summary>Shape of one example, without the batch dimension, e.g. (1, 28, 28).</summary>
    IReadOnlyList<long> ExampleShape { get; }
}
