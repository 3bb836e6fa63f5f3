namespace PruneNotebook.Core.Optimization;

/// <summary>Stops training when the monitored validation metric has not improved for <see cref="Patience"/> epochs.</summary>
/// <param name="Patience">Epochs without improvement tolerated before stopping (≥ 0; 0 stops at the first epoch that does not improve).</param>
/// <param name="MinDelta">Smallest change that counts as an improvement (≥ 0).</param>
/// <param name="RestoreBest">Whether to put back the weights of the best epoch when training stops or ends.</param>
/// <param name="Monitor">The metric watched: <see cref="MonitoredMetric.ValidationLoss"/> (lower is better) or <see cref="MonitoredMetric.ValidationAccuracy"/> (higher is better).</param>
public sealed record EarlyStopping(int Patience = 3, double MinDelta = 0, bool RestoreBest = true, MonitoredMetric Monitor = MonitoredMetric.ValidationLoss)
{
    /// <summary>Throws on a negative patience or delta.</summary>
    /// <exception cref="ArgumentException">The patience or delta is out of range.</exception>
    public void Validate()
    {
        if (Patience < 0)
            throw new ArgumentException($"Early-stopping patience must be zero or more epochs, got {Patience}.", nameof(Patience));
        if (!(MinDelta >= 0) || double.IsInfinity(MinDelta))
            throw new ArgumentException($"Early-stopping min delta must be zero or positive, got {MinDelta}.", nameof(MinDelta));
    }

    /// <summary>Whether <paramref name="value"/> improves on <paramref name="best"/> by more than <see cref="MinDelta"/>.</summary>
    public bool Improves(double value, double? best) => best is not { } b || (Monitor == MonitoredMetric.ValidationLoss
        ? value < b - MinDelta
        : value > b + MinDelta);
}

/// <summary>A validation metric that early stopping and reduce-on-plateau can watch.</summary>
public enum MonitoredMetric
{
    /// <summary>Mean validation cross-entropy: lower is better.</summary>
    ValidationLoss,

    /// <summary>Validation accuracy: higher is better.</summary>
    ValidationAccuracy,
}
