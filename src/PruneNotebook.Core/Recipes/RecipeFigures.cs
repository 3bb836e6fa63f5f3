using System.Globalization;

namespace PruneNotebook.Core.Recipes;

/// <summary>How recipe results print figures, the same in every host.</summary>
internal static class RecipeFigures
{
    /// <summary>A fraction as a percentage with two decimals, e.g. <c>88.12 %</c>.</summary>
    public static string Percent(double fraction) => (100 * fraction).ToString("F2", CultureInfo.InvariantCulture) + " %";

    /// <summary>A perplexity with four decimals, e.g. <c>5.1234</c>.</summary>
    public static string Perplexity(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>Bits per character with four decimals, e.g. <c>2.3571</c>.</summary>
    public static string Bits(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>A count with thousands separators, e.g. <c>61,706</c>.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
