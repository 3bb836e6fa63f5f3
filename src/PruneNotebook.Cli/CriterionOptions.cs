using System.CommandLine;
using PruneNotebook.Core.Scoring;

namespace PruneNotebook.Cli;

/// <summary>
/// <c>--criterion</c>, <c>--n</c> and <c>--seed</c>, the same in every verb that takes a criterion (names from <see cref="Criteria"/>,
/// completing to those that can score what the verb removes).
/// </summary>
internal sealed class CriterionOptions(CriterionUse? use = null)
{
    public Option<string?> Criterion { get; } = CreateCriterion(use);

    public Option<string?> N { get; } = new("--n") { Description = "For --criterion ln: norm order (default 2; inf for the largest |w|)." };

    public Option<string?> Seed { get; } = new("--seed") { Description = "For --criterion random: seed of the generator (default 0)." };

    public void AddTo(Command command)
    {
        command.Add(Criterion);
        command.Add(N);
        command.Add(Seed);
    }

    /// <summary>The criterion named, or <c>null</c> for the default.</summary>
    public string? Name(ParseResult parsed) => parsed.GetValue(Criterion);

    /// <summary>The criterion arguments typed, by name (only those given).</summary>
    public Dictionary<string, string> Arguments(ParseResult parsed) =>
        new[] { ("n", parsed.GetValue(N)), ("seed", parsed.GetValue(Seed)) }
            .Where(a => !string.IsNullOrWhiteSpace(a.Item2)).ToDictionary(a => a.Item1, a => a.Item2!.Trim());

    private static Option<string?> CreateCriterion(CriterionUse? use)
    {
        var eligible = Criteria.All.Where(c => use is null || c.Supports(use.Value)).ToList();
        var option = new Option<string?>("--criterion")
        {
            Description = $"What ranks what is removed (default {Criteria.Default}): "
                + string.Join("; ", eligible.Select(c => $"{c.Name} ({c.Description}; scores {c.Scores}{(c.NeedsData ? "; needs data" : "")})")) + ".",
        };
        option.CompletionSources.Add([.. eligible.Select(c => c.Name)]);
        return option;
    }
}
