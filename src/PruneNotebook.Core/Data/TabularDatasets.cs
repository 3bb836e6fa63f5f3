using static TorchSharp.torch;

namespace PruneNotebook.Core.Data;

/// <summary>
/// The small real datasets shipped inside PruneNotebook.Core (from scikit-learn 1.2's bundled data; sources and licence in
/// <c>data/tabular/README.md</c>): no download, no install.
/// </summary>
public static class TabularDatasets
{
    /// <summary>The preset names <see cref="Load"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["breast_cancer", "wine", "diabetes", "iris"];

    /// <summary>Breast Cancer Wisconsin (Diagnostic): 569 rows, 30 features, classes benign / malignant.</summary>
    public static TabularDataset BreastCancer(Device? device = null) => Load("breast_cancer", device);

    /// <summary>Wine: 178 rows, 13 chemical measurements, 3 cultivars.</summary>
    public static TabularDataset Wine(Device? device = null) => Load("wine", device);

    /// <summary>Diabetes: 442 rows, 10 unscaled features (age, sex, bmi, bp, s1..s6), disease progression after a year (regression).</summary>
    public static TabularDataset Diabetes(Device? device = null) => Load("diabetes", device);

    /// <summary>Iris: 150 rows, 4 measurements, 3 species.</summary>
    public static TabularDataset Iris(Device? device = null) => Load("iris", device);

    /// <summary>One of the presets by name (see <see cref="Names"/>).</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static TabularDataset Load(string name, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim().ToLowerInvariant().Replace('-', '_');
        if (!Names.Contains(key))
            throw new ArgumentException($"Unknown dataset '{name}': expected one of {string.Join(", ", Names)}, or load a file with TabularCsv.Load.", nameof(name));
        var resource = $"PruneNotebook.Core.Data.Tabular.{key}.csv";
        using var stream = typeof(TabularDatasets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"PruneNotebook.Core does not embed '{resource}': a broken build.");
        using var reader = new StreamReader(stream);
        return TabularCsv.Read(reader, "target", classification: key != "diabetes", name: key, source: key + ".csv", device: device);
    }
}
