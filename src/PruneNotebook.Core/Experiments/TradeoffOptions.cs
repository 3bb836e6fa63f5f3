using System.Globalization;

using PruneNotebook.Core.Scoring;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// A tradeoff study (Blalock et al. 2020; ShrinkBench): every criterion × target × seed is pruned from the same dense
/// checkpoint, fine-tuned with the same budget and evaluated, so criteria compare at equal compression with error bars
/// over seeds. Random and magnitude (<c>l1</c>) baselines are included unless <see cref="IncludeBaselines"/> is off.
/// </summary>
/// <param name="Model">A built-in architecture (<c>lenet5</c>, …) or <c>mlp</c> (with <paramref name="Hidden"/>).</param>
/// <param name="Data">The data: its training split fine-tunes (and trains the dense model), its test split evaluates.</param>
/// <param name="Targets">Sparsities (0..1) of the prunable weights, or fractions of units removed in <see cref="TradeoffMode.Channels"/> mode.</param>
/// <param name="Criteria">Criteria by name besides the baselines (e.g. <c>l2</c>; <c>taylor</c>, <c>apoz</c>, <c>bn</c> in channels mode).</param>
/// <param name="Seeds">Seeds of the repeated trials (default 0, 1, 2): they drive random criteria and fine-tuning order.</param>
/// <param name="FineTune">The fine-tuning every pruned model gets (default one epoch of Adam at 1e-3).</param>
/// <param name="DenseTraining">How the dense model is trained when no <paramref name="DenseWeights"/> are given (default two epochs).</param>
/// <param name="DenseWeights">A trained dense checkpoint (PruneNotebook's model file), absolute or relative to the sweep directory; <c>null</c> trains one first.</param>
/// <param name="Scope"><c>local</c> (each layer loses the target, the default) or <c>global</c> (one threshold).</param>
/// <param name="Mode">Weights (masks) or channels (surgery).</param>
/// <param name="IncludeBaselines">Add <c>random</c> and <c>l1</c> (magnitude) to the criteria.</param>
/// <param name="Hidden">Hidden widths of an <c>mlp</c>.</param>
/// <param name="Label">Names the study (and its sweep); default from the model, mode and dense checkpoint.</param>
public sealed record TradeoffOptions(
    string Model,
    DataSpec Data,
    IReadOnlyList<double> Targets,
    IReadOnlyList<string>? Criteria = null,
    IReadOnlyList<long>? Seeds = null,
    TrainStep? FineTune = null,
    TrainStep? DenseTraining = null,
    string? DenseWeights = null,
    string Scope = "local",
    TradeoffMode Mode = TradeoffMode.Weights,
    bool IncludeBaselines = true,
    IReadOnlyList<int>? Hidden = null,
    string? Label = null)
{
    /// <summary>The baselines every study includes by default: magnitude and random.</summary>
    public static IReadOnlyList<string> Baselines { get; } = ["l1", "random"];

    /// <summary>The criteria the study runs: the baselines first (unless off), then the others, each once.</summary>
    public IReadOnlyList<string> AllCriteria =>
        (IncludeBaselines ? Baselines : []).Concat(Criteria ?? []).Select(c => c.Trim().ToLowerInvariant()).Distinct().ToList();

    /// <summary>The seeds, default 0, 1, 2.</summary>
    public IReadOnlyList<long> AllSeeds => Seeds is { Count: > 0 } seeds ? seeds : [0, 1, 2];

    /// <summary>Checks every option and throws on the first problem.</summary>
    /// <exception cref="ArgumentException">The message names the option and what is expected.</exception>
    public void Validate()
    {
        if (Targets is null || Targets.Count == 0 || Targets.Any(t => !(t > 0 && t < 1)))
            throw new ArgumentException($"Targets must be fractions in (0, 1), e.g. 0.5,0.75,0.9,0.95; got [{string.Join(", ", (Targets ?? []).Select(t => t.ToString(CultureInfo.InvariantCulture)))}].", nameof(Targets));
        if (Targets.Distinct().Count() != Targets.Count)
            throw new ArgumentException("Targets must not repeat.", nameof(Targets));
        if (AllCriteria.Count == 0)
            throw new ArgumentException("A tradeoff study needs at least one criterion: keep the baselines or name criteria, e.g. l2.", nameof(Criteria));
        foreach (var criterion in AllCriteria)
        {
            ExperimentCriteria.Check(criterion, Mode == TradeoffMode.Weights ? CriterionUse.Entries : CriterionUse.Groups);
        }
        if (AllSeeds.Distinct().Count() != AllSeeds.Count)
            throw new ArgumentException($"Seeds must not repeat, got [{string.Join(", ", AllSeeds)}].", nameof(Seeds));
        PruningScopes.Parse(Scope);
        Data?.Validate();
    }
}
