using System.Globalization;

namespace PruneNotebook.Core.Reports;

/// <summary>
/// What a surgery was asked to remove, what it removed, and, when it kept some of what was asked, where and why: so a
/// surgery that removes less than asked never does so silently.
/// </summary>
/// <param name="Unit">What is counted: <c>units</c> (channels and neurons), <c>dead units</c> or <c>layers</c>.</param>
/// <param name="Requested">How many the operation set out to remove (for compression: the amount of every group in scope).</param>
/// <param name="Removed">How many it removed.</param>
/// <param name="Kept">Each group (or layer) that kept some of what was asked, with how many and why; empty when nothing fell short.</param>
public sealed record RemovalSummary(string Unit, long Requested, long Removed, IReadOnlyList<KeptUnits> Kept)
{
    /// <summary>Whether some group kept units it was asked to lose.</summary>
    public bool FellShort => Kept.Count > 0;

    /// <summary>How many requested units were kept, over all groups.</summary>
    public long KeptTotal => Kept.Sum(k => k.Units);

    /// <summary>
    /// One line when the removal fell short, <c>null</c> otherwise, e.g. <c>Removed 24 of 40 requested units; 16 could not
    /// be: 16 in 'c1 + c2' (fixed: the network output).</c> Groups kept for the same reason are listed together.
    /// </summary>
    public string? Shortfall
    {
        get
        {
            if (!FellShort)
                return null;
            var parts = Kept.GroupBy(k => k.Reason).Select(byReason =>
            {
                var names = byReason.Select(k => $"'{k.Group}'").ToList();
                var shown = names.Count <= 3 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(3))} and {names.Count - 3} more";
                return $"{Count(byReason.Sum(k => k.Units))} in {shown} ({byReason.Key})";
            });
            return $"Removed {Count(Removed)} of {Count(Requested)} requested {Unit}; {Count(KeptTotal)} could not be: {string.Join("; ", parts)}.";
        }
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
