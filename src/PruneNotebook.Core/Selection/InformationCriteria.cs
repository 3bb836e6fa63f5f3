namespace PruneNotebook.Core.Selection;

/// <summary>
/// Akaike and Bayesian information criteria of a fitted likelihood model, as statsmodels defines them:
/// AIC = −2·log L + 2k, BIC = −2·log L + k·ln n. Lower is better; compare models fitted on the same rows only.
/// </summary>
/// <param name="LogLikelihood">The maximised log-likelihood log L on the fitting rows.</param>
/// <param name="Parameters">k: estimated parameters (nonzero coefficients plus intercepts).</param>
/// <param name="Samples">n: the rows the likelihood was computed on.</param>
public sealed record InformationCriteria(double LogLikelihood, int Parameters, long Samples)
{
    /// <summary>−2·log L + 2k.</summary>
    public double Aic => -2 * LogLikelihood + 2 * Parameters;

    /// <summary>−2·log L + k·ln n.</summary>
    public double Bic => -2 * LogLikelihood + Parameters * Math.Log(Samples);

    /// <summary>
    /// The Gaussian log-likelihood of a least-squares fit with the error variance at its maximum-likelihood value SSR/n:
    /// −n/2·(ln 2π + ln(SSR/n) + 1), as statsmodels' OLS <c>llf</c>.
    /// </summary>
    /// <param name="residualSumOfSquares">SSR = Σ(y − ŷ)².</param>
    /// <param name="samples">n.</param>
    /// <param name="parameters">k.</param>
    public static InformationCriteria Gaussian(double residualSumOfSquares, long samples, int parameters) =>
        new(-samples / 2.0 * (Math.Log(2 * Math.PI) + Math.Log(residualSumOfSquares / samples) + 1), parameters, samples);
}
