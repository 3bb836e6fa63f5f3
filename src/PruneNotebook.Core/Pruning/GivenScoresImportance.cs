using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>
/// Scores the caller computed (Taylor, activation statistics, anything), by qualified parameter name —
/// PyTorch's <c>importance_scores</c>. Unit scores are the L1 norm of the given scores over each slice.
/// </summary>
/// <param name="scores">Scores by parameter name (e.g. <c>fc1.weight</c>), each of that parameter's shape.</param>
public sealed class GivenScoresImportance(IReadOnlyDictionary<string, Tensor> scores) : IImportance
{
    /// <inheritdoc />
    public string Name => "scores";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No scores for <paramref name="name"/>, or of another shape.</exception>
    public Tensor Score(Tensor parameter, string name)
    {
        if (!scores.TryGetValue(name, out var given))
            throw new ArgumentException($"No importance scores were given for '{name}': expected one tensor per pruned parameter, keyed by name.", nameof(name));
        if (!given.shape.SequenceEqual(parameter.shape))
            throw new ArgumentException(
                $"Importance scores for '{name}' have shape ({string.Join(", ", given.shape)}), but the parameter has shape ({string.Join(", ", parameter.shape)}).", nameof(name));
        return given.detach().to(parameter.device).clone();
    }

    /// <inheritdoc />
    public Tensor ScoreUnits(Tensor parameter, string name, int dim)
    {
        using var entries = Score(parameter, name);
        return new LnNormImportance(1).ScoreUnits(entries, name, dim);
    }
}
