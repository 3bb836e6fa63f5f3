using static TorchSharp.torch;

namespace PruneNotebook.Core.Scoring;

/// <summary>A criterion that scores the units of a parameter: its slices along one dimension (structured pruning).</summary>
public interface IUnitCriterion : ICriterion
{
    /// <summary>One score per slice along <paramref name="dim"/>: a new 1-D tensor of length <c>parameter.shape[dim]</c> on the parameter's device.</summary>
    /// <param name="parameter">The parameter, e.g. a weight of shape (out, in) or (out, in, kh, kw).</param>
    /// <param name="name">Its qualified name in <see cref="ScoringContext.Model"/>.</param>
    /// <param name="dim">The dimension whose slices are the units (0: output units / filters, 1: input units).</param>
    /// <param name="context">The model, optional data and what criteria share during one pruning call.</param>
    /// <exception cref="ArgumentException">The criterion cannot score these units (the message says why).</exception>
    Tensor ScoreUnits(Tensor parameter, string name, int dim, ScoringContext context);
}
