namespace PruneNotebook.Core.Scoring;

/// <summary>A registered criterion: its name, what it does, the arguments it takes, and how to make one.</summary>
/// <param name="Name">The name typed after <c>--criterion</c>, e.g. <c>l1</c>.</param>
/// <param name="Description">One line: what it scores and by what.</param>
/// <param name="Parameters">The arguments it takes (e.g. <c>n</c>, <c>seed</c>); any other argument is refused.</param>
/// <param name="NeedsData">Whether it measures on data (then <c>--data</c> is required).</param>
/// <param name="Type">The criterion's type; its capability interfaces say what it can score.</param>
/// <param name="Factory">Makes the criterion from its arguments.</param>
public sealed record CriterionInfo(
    string Name, string Description, IReadOnlyList<CriterionParameter> Parameters, bool NeedsData, Type Type, Func<CriterionArguments, ICriterion> Factory)
{
    /// <summary>Whether it can score what <paramref name="use"/> asks, directly or through the group/unit adapters.</summary>
    public bool Supports(CriterionUse use) => use switch
    {
        CriterionUse.Entries => typeof(IEntryCriterion).IsAssignableFrom(Type),
        _ => typeof(IUnitCriterion).IsAssignableFrom(Type) || typeof(IGroupCriterion).IsAssignableFrom(Type),
    };

    /// <summary>Whether it scores units along any dimension (<c>false</c>: only a layer's output units, dim 0, through its group).</summary>
    public bool ScoresAnyDim => typeof(IUnitCriterion).IsAssignableFrom(Type);

    /// <summary>
    /// Whether it measures only the inputs of the layers it prunes (wanda, sparsegpt): calibration data without labels,
    /// such as text windows, serves it as well as images.
    /// </summary>
    public bool MeasuresLayerInputs =>
        typeof(ISequentiallyCalibratedCriterion).IsAssignableFrom(Type) || typeof(IReconstructingCriterion).IsAssignableFrom(Type);

    /// <summary>What it scores, e.g. <c>weights, units, groups</c>.</summary>
    public string Scores => string.Join(", ", new[]
    {
        Supports(CriterionUse.Entries) ? "weights" : null,
        ScoresAnyDim ? "units" : Supports(CriterionUse.Units) ? "output units" : null,
        Supports(CriterionUse.Groups) ? "groups" : null,
    }.OfType<string>());
}
