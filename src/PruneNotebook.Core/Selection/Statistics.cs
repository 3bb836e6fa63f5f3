namespace PruneNotebook.Core.Selection;

/// <summary>Summary statistics of small host-side samples (fold scores, repeat scores).</summary>
public static class Statistics
{
    /// <summary>Population standard deviation (numpy's default, as scikit-learn reports CV spreads); 0 for fewer than two values.</summary>
    public static double Std(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2)
            return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }
}
