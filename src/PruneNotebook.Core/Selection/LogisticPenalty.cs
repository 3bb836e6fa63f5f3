namespace PruneNotebook.Core.Selection;

/// <summary>The penalty of a <see cref="LogisticRegression"/> (scikit-learn's <c>penalty</c>).</summary>
public enum LogisticPenalty
{
    /// <summary>½·‖w‖², solved by Newton's method.</summary>
    L2,

    /// <summary>‖w‖₁, solved by accelerated proximal gradient (FISTA).</summary>
    L1,

    /// <summary>ρ·‖w‖₁ + (1 − ρ)/2·‖w‖², solved by accelerated proximal gradient (FISTA).</summary>
    ElasticNet,
}
