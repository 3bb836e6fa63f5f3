using System.Globalization;
using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Reports;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PruneNotebook.Cli;

/// <summary>Core records as console tables.</summary>
internal static class Tables
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static IRenderable Summary(NetworkSummary summary)
    {
        var table = new Table().Title($"{summary.ModelName} · input ({string.Join(", ", summary.InputShape)})")
            .AddColumns("layer", "type", "output", "params", "nonzero", "MACs", "nonzero MACs");
        foreach (var layer in summary.Layers)
        {
            table.AddRow(Markup.Escape(layer.Name), layer.Type, $"({string.Join(", ", layer.OutputShape)})", Count(layer.Parameters),
                Count(layer.NonzeroParameters), layer.Macs is { } m ? Count(m) : "?", layer.NonzeroMacs is { } n ? Count(n) : "?");
        }
        table.AddRow("[bold]total[/]", "", "", Count(summary.TotalParameters), Count(summary.TotalNonzeroParameters), Count(summary.TotalMacs), Count(summary.TotalNonzeroMacs));
        foreach (var column in table.Columns.Skip(3))
            column.RightAligned();
        return table;
    }

    public static IRenderable Sparsity(SparsityReport report)
    {
        var table = new Table().Title($"{report.ModelName} · {Percent(report.Sparsity)} zeros · {report.Compression.ToString("F1", C)}× compression")
            .AddColumns("parameter", "shape", "zeros", "sparsity", "dead units", "masked");
        foreach (var p in report.Parameters)
        {
            table.AddRow(Markup.Escape(p.Name), $"({string.Join(", ", p.Shape)})", $"{Count(p.Zeros)} / {Count(p.Count)}", Percent(p.Sparsity),
                $"{p.DeadUnits} / {p.Units}", p.Masked ? p.Pattern is { } pattern ? $"yes, {pattern}" : "yes" : "");
        }
        return table;
    }

    public static IRenderable History(TrainingHistory history)
    {
        var table = new Table().Title(Markup.Escape($"{history.ModelName} · {history.Optimizer} · batch {history.BatchSize}"
                + (history.Schedule is { } s ? $" · {s}" : "") + (history.Regularizer is { } r ? $" · {r}" : "")))
            .AddColumns("epoch", "train loss", "train acc", "val loss", "val acc", "penalty", "lr", "seconds");
        foreach (var e in history.Epochs)
        {
            table.AddRow(e.Epoch.ToString(C), e.TrainLoss.ToString("F4", C), e.TrainAccuracy is { } ta ? Percent(ta) : "", e.TestLoss?.ToString("F4", C) ?? "",
                e.TestAccuracy is { } va ? Percent(va) : "", e.Penalty == 0 ? "" : e.Penalty.ToString("G4", C), e.LearningRate.ToString("G4", C), e.Seconds.ToString("F1", C));
        }
        return table;
    }

    public static string Percent(double fraction) => (100 * fraction).ToString("F2", C) + " %";

    private static string Count(long value) => value.ToString("N0", C);
}
