using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Scores the units of channel groups for structured compression: the lowest scores are removed. One file per
/// criterion: magnitude (L1/L2), BatchNorm scale, first-order Taylor, APoZ.
/// </summary>
public interface IGroupImportance
{
    /// <summary>Short name shown in reports, e.g. <c>l1</c>.</summary>
    string Name { get; }

    /// <summary>
    /// One score per unit for each group (a 1-D tensor of length <see cref="ChannelGroup.Size"/> on the model's device),
    /// or <c>null</c> for a group this criterion cannot score (it is then left whole). The model is left unchanged.
    /// </summary>
    /// <param name="model">The network the groups belong to.</param>
    /// <param name="groups">The groups to score.</param>
    IReadOnlyList<Tensor?> Score(nn.Module<Tensor, Tensor> model, IReadOnlyList<ChannelGroup> groups);
}
