namespace PruneNotebook.Core.Pruning;

internal static class ScheduleChecks
{
    public static double Sparsity(double value, string name) =>
        value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a sparsity in [0, 1).");
}
