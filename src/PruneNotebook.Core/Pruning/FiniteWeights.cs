using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>
/// Refuses NaN and infinite weights before any pruning scores them. A NaN has no rank, so each path would treat it
/// differently (pruned first, never chosen, or counted as largest); a diverged model is better refused with the name of
/// the parameter than pruned arbitrarily. One read pass per parameter and no large temporaries: a parameter whose sum is
/// finite holds only finite entries (a NaN or an infinity reaches the sum); only a non-finite sum, which huge finite
/// weights can also give, is checked entry by entry. One synchronisation for all parameters.
/// </summary>
public static class FiniteWeights
{
    /// <summary>Throws when a parameter holds a NaN or an infinite entry; the message names the first such parameter.</summary>
    /// <param name="parameters">Qualified names and values, e.g. (<c>fc1.weight</c>, its tensor).</param>
    /// <exception cref="ArgumentException">A parameter holds NaN or infinite entries; nothing was changed.</exception>
    public static void Check(IEnumerable<(string Name, Tensor Value)> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.Where(p => p.Value.is_floating_point()).ToList();
        if (list.Count == 0)
            return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sums = stack(list.Select(p => p.Value.sum().to_type(ScalarType.Float32).cpu()).ToArray());
        var finite = isfinite(sums).data<bool>().ToArray();
        var first = Enumerable.Range(0, list.Count).FirstOrDefault(i => !finite[i] && !isfinite(list[i].Value).all().cpu().item<bool>(), -1);
        if (first < 0)
            return;
        var (name, value) = list[first];
        var nan = isnan(value).sum().cpu().item<long>();
        var infinite = isinf(value).sum().cpu().item<long>();
        throw new ArgumentException(
            $"'{name}' holds {Describe(nan, infinite)} of its {value.numel()} entries, which pruning cannot rank: " +
            "the model has diverged or was loaded wrongly; reload or retrain it (a lower learning rate, gradient clipping) before pruning.");
    }

    private static string Describe(long nan, long infinite) => (nan, infinite) switch
    {
        (> 0, > 0) => $"{nan} NaN and {infinite} infinite values",
        (> 0, _) => $"{nan} NaN value{(nan == 1 ? "" : "s")}",
        _ => $"{infinite} infinite value{(infinite == 1 ? "" : "s")}",
    };
}
