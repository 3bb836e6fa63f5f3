using System.Globalization;

namespace PruneNotebook.Bench;

/// Prints contenders as columns (ours first, peers beside it) and the throughput ratios below.
public static class ResultTable
{
    public static void Print(IReadOnlyList<ThroughputResult?> columns, IReadOnlyList<string> headers, IReadOnlyList<(string Label, int Numerator, int Denominator)> ratios)
    {
        var culture = CultureInfo.InvariantCulture;
        const int labelWidth = 16;
        var widths = headers.Select(h => Math.Max(h.Length, 12)).ToArray();
        string Row(string label, Func<ThroughputResult, string> cell) =>
            label.PadRight(labelWidth) + string.Concat(columns.Select((c, i) => "  " + (c is null ? "n/a" : cell(c)).PadLeft(widths[i])));

        Console.WriteLine("".PadRight(labelWidth) + string.Concat(headers.Select((h, i) => "  " + h.PadLeft(widths[i]))));
        Console.WriteLine(new string('-', labelWidth + widths.Sum(w => w + 2)));
        Console.WriteLine(Row("images/s", r => r.ImagesPerSecond.ToString("N0", culture)));
        Console.WriteLine(Row("timed seconds", r => r.Seconds.ToString("F2", culture)));
        Console.WriteLine(Row("s per 60k epoch", r => (60_000 / r.ImagesPerSecond).ToString("F2", culture)));
        Console.WriteLine(Row("test accuracy", r => (100 * r.TestAccuracy).ToString("F1", culture) + " %"));
        Console.WriteLine();
        foreach (var (label, numerator, denominator) in ratios)
        {
            var (a, b) = (columns[numerator], columns[denominator]);
            var value = a is null || b is null ? "n/a" : (a.ImagesPerSecond / b.ImagesPerSecond).ToString("F2", culture) + "x";
            Console.WriteLine($"{label.PadRight(labelWidth)}  {value}");
        }
    }
}
