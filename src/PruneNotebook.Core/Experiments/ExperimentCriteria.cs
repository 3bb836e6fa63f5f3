using System.Globalization;
using PruneNotebook.Core.Scoring;

namespace PruneNotebook.Core.Experiments;

/// <summary>Criterion names in trial specs and tradeoff studies: the registry's names (<see cref="Criteria"/>), made in one place.</summary>
internal static class ExperimentCriteria
{
    /// <summary>
    /// The registered criterion <paramref name="name"/>, checked for what <paramref name="use"/> asks; a criterion that takes a
    /// <c>seed</c> (random) gets <paramref name="seed"/>, the trial's. Dispose it when it is <see cref="IDisposable"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name, or a criterion that cannot score what <paramref name="use"/> asks.</exception>
    public static ICriterion Create(string name, long seed, CriterionUse use)
    {
        var info = Criteria.Get(name);
        var arguments = info.Parameters.Any(p => p.Name == "seed")
            ? new Dictionary<string, string> { ["seed"] = seed.ToString(CultureInfo.InvariantCulture) }
            : null;
        return Criteria.Create(name, arguments, use);
    }

    /// <summary>Throws unless <paramref name="name"/> is a registered criterion that can score what <paramref name="use"/> asks.</summary>
    public static void Check(string name, CriterionUse use) => (Create(name, 0, use) as IDisposable)?.Dispose();
}
