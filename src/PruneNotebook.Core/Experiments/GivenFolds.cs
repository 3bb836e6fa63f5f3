using System.Text.Json;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Selection;

namespace PruneNotebook.Core.Experiments;

/// <summary>Folds written to a file by a search, so every worker cross-validates on exactly the folds the search made.</summary>
internal sealed class GivenFolds(IReadOnlyList<Fold> folds, string description) : ISplitter
{
    private sealed record FoldRows(IReadOnlyList<long> Train, IReadOnlyList<long> Test);

    public int Folds => folds.Count;

    public string Describe() => description;

    public IReadOnlyList<Fold> Split(TabularDataset data)
    {
        var rows = (data ?? throw new ArgumentNullException(nameof(data))).Count;
        if (folds.SelectMany(f => f.Train.Concat(f.Test)).Any(r => r < 0 || r >= rows))
            throw new ArgumentException($"The folds name rows outside the {rows} rows of '{data.Name}': they were made for other data.");
        return folds;
    }

    /// <summary>The JSON text <see cref="Read"/> reads back as <paramref name="folds"/>.</summary>
    public static string Json(IReadOnlyList<Fold> folds) => JsonSerializer.Serialize(folds.Select(f => new FoldRows(f.Train, f.Test)).ToArray(), SweepJson.Options);

    /// <summary>Reads folds written as <see cref="Json"/>.</summary>
    /// <exception cref="InvalidDataException">Missing or malformed file.</exception>
    public static GivenFolds Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var rows = JsonSerializer.Deserialize<FoldRows[]>(stream, SweepJson.Options) ?? [];
            if (rows.Length < 2)
                throw new InvalidDataException($"Folds file '{path}' holds {rows.Length} folds: expected at least 2.");
            return new GivenFolds(rows.Select((f, i) => new Fold(i, f.Train, f.Test)).ToArray(), $"{rows.Length} folds from {Path.GetFileName(path)}");
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Cannot read folds file '{path}': {e.Message.Split('\n', 2)[0]}", e);
        }
    }
}
