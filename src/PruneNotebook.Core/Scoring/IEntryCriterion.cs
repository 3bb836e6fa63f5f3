using static TorchSharp.torch;

namespace PruneNotebook.Core.Scoring;

/// <summary>A criterion that scores every entry of a parameter (unstructured pruning).</summary>
public interface IEntryCriterion : ICriterion
{
    /// <summary>
    /// One score per entry: a new tensor of the parameter's shape on its device (the caller may overwrite it); the
    /// parameter is not modified.
    /// </summary>
    /// <param name="parameter">The parameter, e.g. a weight of shape (out, in) or (out, in, kh, kw).</param>
    /// <param name="name">Its qualified name in <see cref="ScoringContext.Model"/>, e.g. <c>fc1.weight</c>.</param>
    /// <param name="context">The model, optional data and what criteria share during one pruning call.</param>
    /// <exception cref="ArgumentException">The criterion cannot score this parameter (the message says why).</exception>
    Tensor ScoreEntries(Tensor parameter, string name, ScoringContext context);
}
