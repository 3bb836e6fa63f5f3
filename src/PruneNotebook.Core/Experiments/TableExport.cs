using System.Globalization;
using System.Text;
using PruneNotebook.Core.Data;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Writes a table into a sweep directory as CSV for worker processes: every float32 feature exactly (its double value in
/// round-trip form), the target as class names or numbers; the data spec it returns makes workers number the classes as
/// the table did.
/// </summary>
internal static class TableExport
{
    /// <summary>The target column's name: one no feature has.</summary>
    public static string TargetColumn(TabularDataset data)
    {
        var name = "target";
        while (data.FeatureNames.Contains(name))
            name = "_" + name;
        return name;
    }

    /// <summary>The CSV text of <paramref name="data"/> and the data spec that reads it back from <paramref name="file"/> (relative to the sweep directory).</summary>
    public static (string Text, DataSpec Spec) Csv(TabularDataset data, string file)
    {
        ArgumentNullException.ThrowIfNull(data);
        var c = CultureInfo.InvariantCulture;
        var target = TargetColumn(data);
        var features = data.Features.cpu().data<float>().ToArray();
        var targets = data.Targets.cpu().data<float>().ToArray();
        var d = data.FeatureCount;
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', data.FeatureNames.Append(target).Select(Quote)));
        for (var row = 0; row < targets.Length; row++)
        {
            for (var column = 0; column < d; column++)
                text.Append(((double)features[row * d + column]).ToString("R", c)).Append(',');
            text.AppendLine(data.ClassNames is { } classes ? Quote(classes[(int)targets[row]]) : ((double)targets[row]).ToString("R", c));
        }
        return (text.ToString(), new DataSpec(DataSpec.CsvName, File: file, Target: target, Classes: data.ClassNames));
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 || cell != cell.Trim() ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
