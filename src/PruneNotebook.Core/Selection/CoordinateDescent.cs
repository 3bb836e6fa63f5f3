using System.Runtime.CompilerServices;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// Cyclic coordinate descent for scikit-learn's Elastic Net objective on a <see cref="GramProblem"/>:
/// minimise (1/(2n))·‖y − Xw‖² + α·ρ·‖w‖₁ + α·(1 − ρ)/2·‖w‖², stopping as scikit-learn does: when the largest coordinate
/// change of a sweep is below tol·max|w|, the duality gap is computed and the solve ends once it is below tol·‖yc‖².
/// </summary>
/// <remarks>
/// Each coordinate update reads one row of G and updates Gw in O(d): a sweep is O(d²) arithmetic on d-sized arrays. That
/// work is far smaller than one kernel launch per coordinate would cost on a device, so the sweeps run on the host, over
/// statistics computed once on the device.
/// </remarks>
internal static class CoordinateDescent
{
    public readonly record struct Result(double[] Coefficients, int Iterations, double Gap, bool Converged);

    /// <param name="problem">The sufficient statistics.</param>
    /// <param name="alpha">α ≥ 0.</param>
    /// <param name="l1Ratio">ρ in [0, 1].</param>
    /// <param name="tol">Tolerance (scikit-learn's <c>tol</c>).</param>
    /// <param name="maxIterations">Maximum sweeps.</param>
    /// <param name="start">Warm start (d), or <c>null</c> for zeros; not modified.</param>
    // Fully optimized from the first call: a path calls this once per α, too few calls for tiered JIT to promote it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Result Solve(GramProblem problem, double alpha, double l1Ratio, double tol, int maxIterations, double[]? start = null)
    {
        var d = problem.Features;
        var n = problem.Samples;
        var g = problem.Gram;
        var q = problem.Xty;
        var l1 = alpha * l1Ratio * n;
        var l2 = alpha * (1 - l1Ratio) * n;
        var w = start is null ? new double[d] : (double[])start.Clone();
        var gw = new double[d];
        for (var j = 0; j < d; j++)
            if (w[j] != 0)
                for (var k = 0; k < d; k++)
                    gw[k] += g[k * d + j] * w[j];
        var gapTolerance = tol * problem.Yty;
        var gap = double.PositiveInfinity;
        var sweep = 0;
        while (sweep < maxIterations)
        {
            sweep++;
            double maxChange = 0, maxWeight = 0;
            for (var j = 0; j < d; j++)
            {
                var gjj = g[j * d + j];
                if (gjj == 0)
                    continue;
                var old = w[j];
                // ρ_j = x_jᵀ(r + x_j w_j) = q_j − (Gw)_j + G_jj·w_j
                var rho = q[j] - gw[j] + gjj * old;
                var updated = Math.Sign(rho) * Math.Max(Math.Abs(rho) - l1, 0) / (gjj + l2);
                if (updated != old)
                {
                    var delta = updated - old;
                    // G is symmetric: its row j is column j, contiguous in memory.
                    var row = g.AsSpan(j * d, d);
                    for (var k = 0; k < row.Length; k++)
                        gw[k] += row[k] * delta;
                    w[j] = updated;
                    maxChange = Math.Max(maxChange, Math.Abs(delta));
                }
                maxWeight = Math.Max(maxWeight, Math.Abs(updated));
            }
            if (maxWeight == 0 || maxChange / maxWeight < tol || sweep == maxIterations)
            {
                gap = DualityGap(problem, w, gw, l1, l2);
                if (gap < gapTolerance)
                    return new Result(w, sweep, gap, true);
            }
        }
        return new Result(w, sweep, gap, false);
    }

    /// <summary>The duality gap of the n-scaled problem ½‖r‖² + l1·‖w‖₁ + ½·l2·‖w‖², from G, q and Gw alone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double DualityGap(GramProblem problem, double[] w, double[] gw, double l1, double l2)
    {
        var d = problem.Features;
        double wq = 0, wgw = 0, w1 = 0, w2 = 0, dualNorm = 0;
        for (var j = 0; j < d; j++)
        {
            wq += w[j] * problem.Xty[j];
            wgw += w[j] * gw[j];
            w1 += Math.Abs(w[j]);
            w2 += w[j] * w[j];
            // Xᵀr − l2·w, with Xᵀr = q − Gw
            dualNorm = Math.Max(dualNorm, Math.Abs(problem.Xty[j] - gw[j] - l2 * w[j]));
        }
        var residual2 = Math.Max(problem.Yty - 2 * wq + wgw, 0);   // ‖r‖²
        var ry = problem.Yty - wq;                                  // rᵀy
        double scale, gap;
        if (dualNorm > l1)
        {
            scale = l1 / dualNorm;
            gap = 0.5 * residual2 * (1 + scale * scale);
        }
        else
        {
            scale = 1;
            gap = residual2;
        }
        return gap + l1 * w1 - scale * ry + 0.5 * l2 * (1 + scale * scale) * w2;
    }
}
