using System.Globalization;

namespace PruneNotebook.Core.Recipes;

/// <summary>How recipe results print figures, the same in every host.</summary>
internal static class RecipeFigures
{
    /// <summary>A fraction as a percentage with two decimals, e.g. <c>88.12 %</c>.</summary>
    public static string Percent(double fraction) => (100 * fraction).ToString("F2", CultureInfo.InvariantCulture) + " %";

    /// <summary>A count with thousands separators, e.g. <c>61,706</c>.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
