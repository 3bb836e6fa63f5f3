using System.Globalization;

namespace PruneNotebook.Core.Pruning;

/// <summary>
/// How much to prune: a fraction (0..1) of what is still unpruned, or an absolute count — PyTorch's
/// <c>amount</c> semantics (a float is a fraction, an int a count; fractions round half to even).
/// </summary>
public readonly record struct PruningAmount
{
    private PruningAmount(double? fraction, long? count)
    {
        Fraction = fraction;
        Count = count;
    }

    /// <summary>The fraction (0..1), or <c>null</c> for a count.</summary>
    public double? Fraction { get; }

    /// <summary>The count (≥ 0), or <c>null</c> for a fraction.</summary>
    public long? Count { get; }

    /// <summary>A fraction of the still-unpruned entries or units.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not in [0, 1].</exception>
    public static PruningAmount Of(double fraction)
    {
        if (!(fraction >= 0 && fraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction,
                $"amount={Format(fraction)} should either be a float in the range [0, 1] or a non-negative integer.");
        return new PruningAmount(fraction, null);
    }

    /// <summary>An absolute number of entries or units.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public static PruningAmount Exactly(long count)
    {
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"amount={count} should either be a float in the range [0, 1] or a non-negative integer.");
        return new PruningAmount(null, count);
    }

    /// <summary>
    /// Parses <c>0.9</c>, <c>90%</c> (fractions) or <c>120</c> (a count), as Python reads <c>amount</c>:
    /// a number with a decimal point or exponent is a fraction, a whole number a count.
    /// </summary>
    /// <exception cref="FormatException">Not a number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A fraction outside [0, 1] or a negative count.</exception>
    public static PruningAmount Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.EndsWith('%') && double.TryParse(trimmed[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
            return Of(percent / 100);
        if (long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count))
            return Exactly(count);
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction))
            return Of(fraction);
        throw new FormatException($"amount='{text}' is not a number: expected a fraction in [0, 1] (e.g. 0.9 or 90%) or a non-negative count (e.g. 120).");
    }

    /// <summary>
    /// The number of entries to prune out of <paramref name="available"/> still-unpruned ones:
    /// <c>round(fraction · available)</c> (half to even, as Python's <c>round</c>) or the count.
    /// </summary>
    /// <param name="available">Still-unpruned entries or units.</param>
    /// <param name="what">What is counted, for the error message (e.g. "parameters to prune").</param>
    /// <exception cref="ArgumentOutOfRangeException">A count larger than <paramref name="available"/>.</exception>
    public long Resolve(long available, string what = "parameters to prune")
    {
        if (Count is { } count)
        {
            if (count > available)
                throw new ArgumentOutOfRangeException(nameof(available), available,
                    $"amount={count} should be smaller than the number of {what}={available}.");
            return count;
        }
        return (long)Math.Round(Fraction!.Value * available, MidpointRounding.ToEven);
    }

    /// <inheritdoc />
    public override string ToString() => Count is { } c ? c.ToString(CultureInfo.InvariantCulture) : Format(Fraction!.Value);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
