namespace PruneNotebook.Core.Selection;

/// <summary>
/// Which fits may run side by side when cross-validation or a search runs folds in parallel. TorchSharp is not safe to
/// train on several threads at once (a native crash ends the process), and an estimator from outside this library may
/// train a TorchSharp network without taking <see cref="NetworkEstimator.TorchLock"/>. So only this library's own
/// estimators (which take the lock where they train networks) run in parallel; any other estimator's fit and score take
/// turns under the lock, which keeps the process alive at the cost of its parallelism.
/// </summary>
internal static class EstimatorTurns
{
    /// <summary>Whether <paramref name="estimator"/> is known to be safe to fit on several threads at once.</summary>
    public static bool MayRunInParallel(IEstimator estimator) => estimator.GetType().Assembly == typeof(IEstimator).Assembly;

    /// <summary>Runs <paramref name="work"/> (a fit and its score) as <paramref name="estimator"/> allows: at once, or in turn when parallel.</summary>
    public static void Run(IEstimator estimator, bool parallel, Action work)
    {
        if (!parallel || MayRunInParallel(estimator))
        {
            work();
            return;
        }
        lock (NetworkEstimator.TorchLock)
            work();
    }
}
