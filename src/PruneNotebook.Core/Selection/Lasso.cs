namespace PruneNotebook.Core.Selection;

/// <summary>The Lasso: <see cref="ElasticNet"/> with ρ = 1, minimising (1/(2n))·‖y − Xw − b‖² + α·‖w‖₁ (scikit-learn's <c>Lasso</c>).</summary>
/// <param name="alpha">α ≥ 0.</param>
/// <param name="fitIntercept">Estimate b or fix it at 0.</param>
/// <param name="tolerance">scikit-learn's <c>tol</c>.</param>
/// <param name="maxIterations">Maximum coordinate-descent sweeps.</param>
public sealed class Lasso(double alpha = 1.0, bool fitIntercept = true, double tolerance = 1e-4, int maxIterations = 1000)
    : ElasticNet(alpha, 1.0, fitIntercept, tolerance, maxIterations)
{
    /// <inheritdoc />
    public override string Name => "Lasso";
}
