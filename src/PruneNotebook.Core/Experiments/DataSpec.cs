using PruneNotebook.Core.Data;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Where a trial's examples come from, as a worker on another machine can find them: Fashion-MNIST (its train split
/// trains, its test split evaluates), one of the shipped tabular datasets, or a CSV file.
/// </summary>
/// <param name="Name"><c>fashion-mnist</c>, a shipped tabular dataset (<see cref="TabularDatasets.Names"/>), or <c>csv</c> for <paramref name="File"/>.</param>
/// <param name="Limit">Fashion-MNIST: use only the first N training and test images.</param>
/// <param name="Directory">Fashion-MNIST: the folder of IDX files; default as <see cref="FashionMnist.ResolveDirectory"/>.</param>
/// <param name="File">CSV: the file, absolute or relative to the sweep directory.</param>
/// <param name="Target">CSV: the target column.</param>
/// <param name="TestFraction">Tabular data trained as a network: the fraction of rows held out for evaluation (seeded by <paramref name="SplitSeed"/>, stratified by class).</param>
/// <param name="SplitSeed">Seeds the held-out rows.</param>
/// <param name="Classes">CSV: the class names in index order (as the data they were written from numbered them); default the distinct target values in ordinal order.</param>
public sealed record DataSpec(
    string Name,
    int? Limit = null,
    string? Directory = null,
    string? File = null,
    string Target = "target",
    double TestFraction = 0.25,
    int SplitSeed = 0,
    IReadOnlyList<string>? Classes = null)
{
    /// <summary>The name of Fashion-MNIST.</summary>
    public const string FashionMnistName = "fashion-mnist";

    /// <summary>The name that reads <see cref="File"/>.</summary>
    public const string CsvName = "csv";

    /// <summary>Whether the data are images (Fashion-MNIST) rather than a table.</summary>
    public bool IsImages => Key == FashionMnistName;

    internal string Key => Name?.Trim().ToLowerInvariant().Replace('_', '-') ?? "";

    /// <summary>Equal when every field is, the class names compared by value.</summary>
    public bool Equals(DataSpec? other) =>
        other is not null && Name == other.Name && Limit == other.Limit && Directory == other.Directory && File == other.File && Target == other.Target
        && TestFraction == other.TestFraction && SplitSeed == other.SplitSeed
        && (Classes ?? []).SequenceEqual(other.Classes ?? []) && (Classes is null) == (other.Classes is null);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Limit, Directory, File, Target, TestFraction, SplitSeed, Classes?.Count);

    /// <summary>Checks the description and throws on the first problem.</summary>
    /// <exception cref="ArgumentException">Unknown name, a missing file, or a limit or fraction out of range.</exception>
    public void Validate()
    {
        var tabular = TabularDatasets.Names.Select(n => n.Replace('_', '-'));
        if (Key != FashionMnistName && Key != CsvName && !tabular.Contains(Key))
            throw new ArgumentException($"Unknown data '{Name}': expected {FashionMnistName}, {string.Join(", ", TabularDatasets.Names)} or {CsvName} (with \"file\").");
        if (Limit is < 1)
            throw new ArgumentException($"Data limit must be at least 1, got {Limit}.");
        if (Key == CsvName && string.IsNullOrWhiteSpace(File))
            throw new ArgumentException("Data 'csv' needs \"file\": the CSV file, absolute or relative to the sweep directory.");
        if (Classes is { } classes && (classes.Count == 0 || classes.Distinct().Count() != classes.Count))
            throw new ArgumentException("Data classes must be distinct names, at least one.");
        if (!(TestFraction > 0 && TestFraction < 1))
            throw new ArgumentException($"Test fraction must be in (0, 1), got {TestFraction}.");
    }
}
