namespace PruneNotebook.Core.Scoring;

/// <summary>What a criterion is asked to score.</summary>
public enum CriterionUse
{
    /// <summary>Single entries of parameters: unstructured masks (<c>Pruner.Unstructured</c>, sensitivity, schedules).</summary>
    Entries,

    /// <summary>Whole units of parameters, slices along a dimension: structured masks (<c>Pruner.Structured</c>).</summary>
    Units,

    /// <summary>Units of coupled channel groups: physical removal (<c>NetworkSurgery.Compress</c>).</summary>
    Groups,
}
