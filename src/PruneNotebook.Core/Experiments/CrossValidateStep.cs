using System.Text.Json.Serialization;
using PruneNotebook.Core.Selection;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Cross-validates an estimator recipe (<see cref="EstimatorRecipes"/>) with one configuration on tabular data, exactly as
/// the searches do in process: features standardized per fold with its training rows, fitted, scored on the test rows.
/// Adds the fold scores to the result and <c>&lt;label&gt;.mean</c>, <c>.std</c> (population) and <c>.seconds</c>.
/// </summary>
/// <param name="Recipe">An estimator recipe: <c>logistic</c>, <c>linear</c>, <c>ridge</c>, <c>lasso</c>, <c>elasticnet</c>, <c>lassocv</c>, <c>mlp</c>.</param>
/// <param name="Parameters">The configuration (numbers, text or true/false), e.g. <c>{ "lr": 0.01, "hidden": "32" }</c>.</param>
/// <param name="Folds">Folds when no <paramref name="FoldsFile"/> is given: stratified for classes, plain otherwise.</param>
/// <param name="Shuffle">Shuffle rows before splitting (with <paramref name="FoldSeed"/>).</param>
/// <param name="FoldSeed">Seeds the shuffle.</param>
/// <param name="FoldsFile">The folds themselves (<c>[{"train": [...], "test": [...]}, ...]</c>, relative to the sweep directory), as a search writes them.</param>
/// <param name="Label">Prefix of the figures; default <c>cv</c>.</param>
public sealed record CrossValidateStep(
    string Recipe,
    [property: JsonConverter(typeof(ParameterValuesJsonConverter))] IReadOnlyDictionary<string, object>? Parameters = null,
    int Folds = 5,
    bool Shuffle = false,
    int FoldSeed = 0,
    string? FoldsFile = null,
    string Label = "cv") : TrialStep
{
    internal override void Validate(DataSpec data)
    {
        if (data.IsImages)
            throw new ArgumentException($"A crossValidate step needs tabular data, not {data.Name}.");
        EstimatorRecipes.Create(Recipe, Parameters);
        if (FoldsFile is null && Folds < 2)
            throw new ArgumentException($"Cross-validation needs at least 2 folds, got {Folds}.");
        TrialContext.CheckLabel(Label);
    }

    internal override void Run(TrialContext context)
    {
        var data = context.Table;
        ISplitter splitter = FoldsFile is not null
            ? GivenFolds.Read(context.Resolve(FoldsFile))
            : data.IsClassification ? new StratifiedKFold(Folds, Shuffle, FoldSeed) : new KFold(Folds, Shuffle, FoldSeed);
        var result = CrossValidation.Score(EstimatorRecipes.Create(Recipe, Parameters), data, splitter);
        context.FoldScores = result.Scores.ToArray();
        context.Add(Label, "mean", result.Mean);
        context.Add(Label, "std", result.Std);
        context.Add(Label, "seconds", result.FitSeconds.Sum());
    }

    internal override string Describe() => $"crossValidate ({Label}): {Recipe} {ParameterGrid.Format(Parameters ?? new Dictionary<string, object>())}";
}
