using System.Globalization;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Data;

/// <summary>
/// Reads comma-separated tables with a header row into a <see cref="TabularDataset"/>: every column but the target must
/// be numeric; the target column is numeric (regression) or text (classification: classes are its distinct values in
/// ordinal order, as scikit-learn's <c>LabelEncoder</c> orders them).
/// </summary>
public static class TabularCsv
{
    /// <summary>Loads the CSV file at <paramref name="path"/>.</summary>
    /// <param name="path">A UTF-8 CSV file whose first row names the columns.</param>
    /// <param name="target">Name of the target column (case-sensitive).</param>
    /// <param name="classification">
    /// <c>true</c>: the target holds classes; <c>false</c>: numeric values; <c>null</c>: classes when any target cell is not a number.
    /// </param>
    /// <param name="device">Where the tensors go; default CPU.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="FormatException">A missing target column, a non-numeric or missing feature cell, NaN, or a row of the wrong width (the message names the row and column).</exception>
    public static TabularDataset Load(string path, string target = "target", bool? classification = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"CSV file not found: '{path}'.", path);
        using var reader = new StreamReader(path);
        return Read(reader, target, classification, Path.GetFileNameWithoutExtension(path), Path.GetFileName(path), device);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>; see <see cref="Load"/>.</summary>
    /// <param name="reader">The CSV text, header row first.</param>
    /// <param name="target">Name of the target column.</param>
    /// <param name="classification">As in <see cref="Load"/>.</param>
    /// <param name="name">The dataset's label.</param>
    /// <param name="source">How error messages name the input (a file name).</param>
    /// <param name="device">Where the tensors go; default CPU.</param>
    /// <exception cref="FormatException">As in <see cref="Load"/>.</exception>
    public static TabularDataset Read(TextReader reader, string target = "target", bool? classification = null, string name = "data", string source = "the CSV text", Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        var header = reader.ReadLine() ?? throw new FormatException($"{source} is empty: expected a header row naming the columns.");
        var columns = Split(header).Select(c => c.Trim()).ToArray();
        var targetColumn = Array.IndexOf(columns, target);
        if (targetColumn < 0)
            throw new FormatException($"{source} has no column '{target}': its columns are {string.Join(", ", columns)}.");
        var featureNames = columns.Where((_, i) => i != targetColumn).ToArray();
        if (featureNames.Length == 0)
            throw new FormatException($"{source} has only the target column '{target}': expected at least one feature column.");

        var features = new List<float>();
        var targetCells = new List<string>();
        var line = 1;
        for (var text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            line++;
            if (text.Length == 0 || string.IsNullOrWhiteSpace(text))
                continue;
            var cells = Split(text);
            if (cells.Count != columns.Length)
                throw new FormatException($"{source}, line {line}: expected {columns.Length} cells (as many as header columns), got {cells.Count}.");
            for (var c = 0; c < cells.Count; c++)
            {
                if (c == targetColumn)
                {
                    targetCells.Add(cells[c].Trim());
                    continue;
                }
                features.Add(ParseCell(cells[c], source, line, columns[c]));
            }
        }
        var rows = targetCells.Count;
        if (rows == 0)
            throw new FormatException($"{source} has a header but no data rows.");

        var isClassification = classification ?? targetCells.Any(t => !double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        float[] targets;
        string[]? classNames = null;
        if (isClassification)
        {
            classNames = targetCells.Distinct().Order(StringComparer.Ordinal).ToArray();
            if (targetCells.FindIndex(string.IsNullOrEmpty) is var missing and >= 0)
                throw new FormatException($"{source}, line {missing + 2}: the target '{target}' is empty.");
            var index = classNames.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (float)p.i, StringComparer.Ordinal);
            targets = targetCells.Select(t => index[t]).ToArray();
        }
        else
        {
            targets = targetCells.Select((t, i) => ParseCell(t, source, i + 2, target)).ToArray();
        }
        var x = tensor(features.ToArray(), [rows, featureNames.Length], device: device);
        var y = tensor(targets, device: device);
        return new TabularDataset(x, y, featureNames, classNames, name);
    }

    private static float ParseCell(string cell, string source, int line, string column)
    {
        var text = cell.Trim();
        if (text.Length == 0)
            throw new FormatException($"{source}, line {line}, column '{column}': the cell is empty (missing values are not supported: impute or drop the row first).");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new FormatException($"{source}, line {line}, column '{column}': '{text}' is not a number.");
        if (double.IsNaN(value) || double.IsInfinity(value) || float.IsInfinity((float)value))
            throw new FormatException($"{source}, line {line}, column '{column}': {text} is not a finite number in 32 bits (impute, rescale or drop the row first).");
        return (float)value;
    }

    /// <summary>Splits one CSV line at commas, honouring double quotes ("a, b" stays one cell; "" is a quote).</summary>
    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(ch);
            }
        }
        cells.Add(cell.ToString());
        return cells;
    }
}
