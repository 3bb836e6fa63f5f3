using System.Text.Json.Serialization;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// One step of a trial, written in JSON with its <c>kind</c>: <c>train</c>, <c>load</c>, <c>save</c>, <c>prune</c>,
/// <c>compress</c>, <c>evaluate</c>, <c>measure</c>, <c>crossValidate</c> or <c>sensitivity</c>. Steps that measure something add figures to the
/// trial's result under their label (e.g. <c>finetuned.accuracy</c>).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(TrainStep), "train")]
[JsonDerivedType(typeof(LoadStep), "load")]
[JsonDerivedType(typeof(SaveStep), "save")]
[JsonDerivedType(typeof(PruneStep), "prune")]
[JsonDerivedType(typeof(CompressStep), "compress")]
[JsonDerivedType(typeof(EvaluateStep), "evaluate")]
[JsonDerivedType(typeof(MeasureStep), "measure")]
[JsonDerivedType(typeof(CrossValidateStep), "crossValidate")]
[JsonDerivedType(typeof(SensitivityStep), "sensitivity")]
public abstract record TrialStep
{
    /// <summary>Checks the step's settings against the trial's data; throws on the first problem.</summary>
    internal abstract void Validate(DataSpec data);

    /// <summary>Runs the step on the trial's model and data, adding its figures to the context.</summary>
    internal abstract void Run(TrialContext context);

    /// <summary>One line for the trial's log.</summary>
    internal abstract string Describe();
}
