using static TorchSharp.torch;

namespace PruneNotebook.Core.Scoring;

/// <summary>
/// LAMP, layer-adaptive magnitude pruning (Lee et al. 2021): within one parameter, with the entries sorted by W²
/// ascending, entry u scores W[u]² / Σ_{v ≥ u} W[v]² (its squared weight over itself and every larger one). Scores are
/// comparable across layers, so global pruning with one threshold gives each layer its own sparsity; within a layer the
/// order is magnitude's. Entries with equal W² are ordered by position. Needs no data.
/// </summary>
public sealed class LampCriterion : IEntryCriterion
{
    /// <inheritdoc />
    public string Name => "lamp";

    /// <inheritdoc />
    public Tensor ScoreEntries(Tensor parameter, string name, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        using var scope = NewDisposeScope();
        var squared = parameter.detach().flatten().to_type(ScalarType.Float64).pow(2);
        var (sorted, order) = squared.sort(stable: true);
        var tails = sorted.flip(0).cumsum(0).flip(0);
        var sortedScores = sorted.div(tails.clamp_min(double.Epsilon)).where(tails.gt(0), zeros_like(sorted));
        var scores = empty_like(sortedScores).scatter_(0, order, sortedScores);
        return scores.to_type(ScalarType.Float32).reshape(parameter.shape).MoveToOuterDisposeScope();
    }
}
