using Microsoft.DotNet.Interactive.Directives;
using PruneNotebook.Core.Scoring;

namespace PruneNotebook.Interactive;

/// <summary>The <c>--criterion</c>, <c>--n</c> and <c>--seed</c> options, the same in every magic that takes a criterion (names from <see cref="Criteria"/>).</summary>
internal static class CriterionOptions
{
    /// <summary>
    /// <c>--criterion</c>, completing to the registered names that can score <paramref name="use"/> (every name when
    /// <c>null</c>); the description lists what each scores.
    /// </summary>
    public static KernelDirectiveParameter Criterion(CriterionUse? use = null) =>
        new KernelDirectiveParameter("--criterion",
                $"What ranks what is removed (default {Criteria.Default}): "
                + string.Join("; ", Criteria.All.Where(c => use is null || c.Supports(use.Value)).Select(Describe)) + ".")
            .AddCompletions(() => use is null ? Criteria.Names : Criteria.Scoring(use.Value));

    /// <summary>A criterion argument as an option (<c>--n</c>, <c>--seed</c>), described by the criteria that take it.</summary>
    public static KernelDirectiveParameter Argument(string name)
    {
        var takers = Criteria.All.SelectMany(c => c.Parameters.Where(p => p.Name == name).Select(p => (Criterion: c.Name, Parameter: p))).ToList();
        return new KernelDirectiveParameter("--" + name,
            $"For --criterion {string.Join("/", takers.Select(t => t.Criterion))}: {takers.Select(t => t.Parameter.Description).FirstOrDefault() ?? name}.");
    }

    /// <summary>The arguments typed, by name (only those given).</summary>
    public static Dictionary<string, string> Given(params (string Name, string? Value)[] values) =>
        values.Where(v => !string.IsNullOrWhiteSpace(v.Value)).ToDictionary(v => v.Name, v => v.Value!.Trim());

    private static string Describe(CriterionInfo c) =>
        $"{c.Name} ({c.Description}; scores {c.Scores}{(c.Parameters.Count > 0 ? "; " + string.Join(", ", c.Parameters.Select(p => "--" + p.Name)) : "")}{(c.NeedsData ? "; needs --data" : "")})";
}
