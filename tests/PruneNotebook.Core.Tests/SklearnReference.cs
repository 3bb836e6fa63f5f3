using System.Text.Json;
using PruneNotebook.Core.Data;

namespace PruneNotebook.Core.Tests;

/// <summary>Reference values written by tests/reference/sklearn_selection_reference.py (scikit-learn 1.2), and the data as it saw them.</summary>
internal static class SklearnReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-selection.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<JsonElement> Cases(string list) => Root.GetProperty(list).EnumerateArray();

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static double Param(JsonElement c, string name, double fallback) =>
        c.GetProperty("params").TryGetProperty(name, out var v) ? v.GetDouble() : fallback;

    /// <summary>A shipped dataset with features standardized over all rows (as the script does).</summary>
    public static TabularDataset Standardized(string name)
    {
        using var raw = TabularDatasets.Load(name);
        return new Standardizer().Fit(raw).Transform(raw);
    }

    public static double MaxAbsDifference(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        return expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
    }
}
