using System.Globalization;

namespace PruneNotebook.Core.Optimization.Schedules;

/// <summary>Argument checks and number formatting shared by the learning-rate schedules.</summary>
internal static class ScheduleArguments
{
    public static long Positive(long value, string name, string what) =>
        value >= 1 ? value : throw new ArgumentException($"{what} must be at least 1, got {value}.", name);

    public static double Finite(double value, string name, string what) =>
        double.IsFinite(value) ? value : throw new ArgumentException($"{what} must be a finite number, got {value}.", name);

    public static double NonNegative(double value, string name, string what) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentException($"{what} must be zero or positive, got {value}.", name);

    public static double PositiveRate(double value, string name, string what) =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentException($"{what} must be a positive number, got {value}.", name);

    /// <summary>A multiplicative decay in (0, 1].</summary>
    public static double Decay(double value, string name, string what) =>
        value > 0 && value <= 1 ? value : throw new ArgumentException($"{what} must be in (0, 1], got {value}.", name);

    public static void Time(long t, double baseRate)
    {
        if (t < 0)
            throw new ArgumentException($"Schedule time must be 0 or more completed steps or epochs, got {t}.", nameof(t));
        if (!(baseRate > 0) || !double.IsFinite(baseRate))
            throw new ArgumentException($"The base learning rate must be a positive number, got {baseRate}.", nameof(baseRate));
    }

    public static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture).ToLowerInvariant();

    public static string Per(ScheduleUnit unit) => unit == ScheduleUnit.Epoch ? "epochs" : "steps";

    /// <summary>Cosine annealing from <paramref name="from"/> to <paramref name="to"/> at progress <paramref name="pct"/> (0..1).</summary>
    public static double Cosine(double from, double to, double pct) => to + (from - to) / 2 * (1 + Math.Cos(Math.PI * pct));
}
