using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Scoring;

/// <summary>A criterion that scores the units of coupled channel groups of a network (structured compression).</summary>
public interface IGroupCriterion : ICriterion
{
    /// <summary>
    /// One score per unit for each group (a 1-D tensor of length <see cref="ChannelGroup.Size"/> on the model's device),
    /// or <c>null</c> for a group this criterion cannot score (it is then left whole). The model is left unchanged.
    /// </summary>
    /// <param name="groups">The groups to score, from a <see cref="DependencyGraph"/> of <see cref="ScoringContext.Model"/>.</param>
    /// <param name="context">The model, optional data and what criteria share during one call.</param>
    IReadOnlyList<Tensor?> ScoreGroups(IReadOnlyList<ChannelGroup> groups, ScoringContext context);
}
