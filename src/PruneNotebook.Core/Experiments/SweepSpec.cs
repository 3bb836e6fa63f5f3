using System.Text.Json.Serialization;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// A sweep: a named list of self-contained trials that any process seeing the sweep directory can run, by index. Written
/// as <c>sweep.json</c> in the sweep directory with the PruneNotebook version that made it; a runner of another version
/// refuses it.
/// </summary>
/// <param name="Name">A label for tables and the generated batch script.</param>
/// <param name="Trials">The trials; a trial's index is its position here. Trials run in waves (<see cref="TrialSpec.Wave"/>): every trial of a wave after the ones before it.</param>
/// <param name="Version">The PruneNotebook version that wrote the spec (<see cref="CurrentVersion"/> when written by this one); <c>null</c> in a hand-written spec.</param>
/// <param name="Format">The layout of the sweep directory and its JSON (<see cref="CurrentFormat"/>).</param>
public sealed record SweepSpec(
    string Name,
    IReadOnlyList<TrialSpec> Trials,
    string? Version = null,
    int Format = SweepSpec.CurrentFormat)
{
    /// <summary>The sweep-directory format this version reads and writes.</summary>
    public const int CurrentFormat = 1;

    /// <summary>This PruneNotebook's version (major.minor.patch), recorded in every spec and result it writes.</summary>
    public static string CurrentVersion { get; } = typeof(SweepSpec).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";

    /// <summary>The waves in order, each with the indices of its trials.</summary>
    [JsonIgnore]
    public IReadOnlyList<(int Wave, IReadOnlyList<int> Trials)> Waves =>
        Trials.Select((t, i) => (t.Wave, i)).GroupBy(p => p.Wave).OrderBy(g => g.Key)
            .Select(g => (g.Key, (IReadOnlyList<int>)g.Select(p => p.i).ToArray())).ToList();

    /// <summary>Checks every trial and throws on the first problem.</summary>
    /// <exception cref="ArgumentException">No trials, or a trial is not valid (the message names the trial and what is expected).</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
            throw new ArgumentException("A sweep needs a name, e.g. \"lenet5 tradeoff\".", nameof(Name));
        if (Trials is null || Trials.Count == 0)
            throw new ArgumentException($"Sweep '{Name}' has no trials: expected at least one.", nameof(Trials));
        for (var i = 0; i < Trials.Count; i++)
        {
            try
            {
                (Trials[i] ?? throw new ArgumentException("the trial is null.")).Validate();
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Trial {i}: {e.Message.Split(" (Parameter '", 2)[0]}", nameof(Trials), e);
            }
        }
    }

    /// <summary>This spec stamped with <see cref="CurrentVersion"/> and <see cref="CurrentFormat"/>.</summary>
    internal SweepSpec Stamped() => this with { Version = CurrentVersion, Format = CurrentFormat };
}
