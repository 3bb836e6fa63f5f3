using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>
/// Scores how important the entries or units of a parameter are; pruning removes the lowest scores.
/// Implementations return new tensors on the parameter's device and do not modify the parameter.
/// </summary>
public interface IImportance
{
    /// <summary>Short name shown in reports, e.g. <c>l1</c>.</summary>
    string Name { get; }

    /// <summary>One score per entry: a tensor of the parameter's shape (for unstructured pruning).</summary>
    /// <param name="parameter">The parameter, e.g. a weight of shape (out, in) or (out, in, kh, kw).</param>
    /// <param name="name">Qualified parameter name (e.g. <c>fc1.weight</c>), for criteria that look scores up.</param>
    Tensor Score(Tensor parameter, string name);

    /// <summary>One score per slice along <paramref name="dim"/>: a 1-D tensor of length <c>parameter.shape[dim]</c> (structured pruning).</summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="name">Qualified parameter name.</param>
    /// <param name="dim">The dimension whose slices are the units (0: output units / filters, 1: input units).</param>
    Tensor ScoreUnits(Tensor parameter, string name, int dim);
}
