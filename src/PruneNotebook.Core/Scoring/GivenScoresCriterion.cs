using static TorchSharp.torch;

namespace PruneNotebook.Core.Scoring;

/// <summary>
/// Scores the caller computed (activation statistics, anything), by qualified parameter name — PyTorch's
/// <c>importance_scores</c>. A unit scores the L1 norm of the given scores over its slice, and so a channel group in
/// <c>Compress</c> the sum over its producers' weights. Not registered by name: it is made from tensors, in code.
/// </summary>
/// <param name="scores">Scores by parameter name (e.g. <c>fc1.weight</c>), each of that parameter's shape.</param>
public sealed class GivenScoresCriterion(IReadOnlyDictionary<string, Tensor> scores) : IEntryCriterion, IUnitCriterion
{
    /// <inheritdoc />
    public string Name => "scores";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No scores for <paramref name="name"/>, or of another shape.</exception>
    public Tensor ScoreEntries(Tensor parameter, string name, ScoringContext context)
    {
        if (!scores.TryGetValue(name, out var given))
            throw new ArgumentException($"No importance scores were given for '{name}': expected one tensor per pruned parameter, keyed by name.", nameof(name));
        if (!given.shape.SequenceEqual(parameter.shape))
            throw new ArgumentException(
                $"Importance scores for '{name}' have shape ({string.Join(", ", given.shape)}), but the parameter has shape ({string.Join(", ", parameter.shape)}).", nameof(name));
        return given.detach().to(parameter.device).clone();
    }

    /// <inheritdoc />
    public Tensor ScoreUnits(Tensor parameter, string name, int dim, ScoringContext context)
    {
        using var entries = ScoreEntries(parameter, name, context);
        return new MagnitudeCriterion(1).ScoreUnits(entries, name, dim, context);
    }
}
