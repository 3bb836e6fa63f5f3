using System.Globalization;
using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Recipes;
using PruneNotebook.Core.Reports;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PruneNotebook.Cli;

/// <summary>A recipe step's result on the console: its line of text, then the table of its record.</summary>
internal static class RecipeConsole
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Show(IAnsiConsole console, RecipeStepResult result)
    {
        var table = result.Record switch
        {
            TrainingHistory history => Tables.History(history),
            SparsityReport sparsity => Tables.Sparsity(sparsity),
            NetworkSummary summary => Tables.Summary(summary),
            SurgeryReport surgery => Surgery(surgery),
            _ => null,
        };
        if (table is not null)
            console.Write(table);
        // Raw, not wrapped to the terminal width: scripts grep these lines.
        console.Profile.Out.Writer.WriteLine(result.Text);
    }

    private static IRenderable Surgery(SurgeryReport report)
    {
        var table = new Table().Title(Markup.Escape($"{report.ModelName} · {report.Operation}")).AddColumns("", "before", "after");
        static string Count(long value) => value.ToString("N0", C);
        static string Ms(double ms) => ms.ToString("F2", C) + " ms";
        table.AddRow("parameters", Count(report.Before.Parameters), Count(report.After.Parameters));
        table.AddRow("MACs", Count(report.Before.Macs), Count(report.After.Macs));
        table.AddRow($"latency (batch {report.LatencyBatch})", Ms(report.Before.LatencyMilliseconds), Ms(report.After.LatencyMilliseconds));
        if (report.Before.Accuracy is { } before && report.After.Accuracy is { } after)
            table.AddRow("accuracy", Tables.Percent(before), Tables.Percent(after));
        foreach (var layer in report.Layers)
            table.AddRow(Markup.Escape($"{layer.Name} ({layer.Type}) outputs"), Count(layer.OutputsBefore), Count(layer.OutputsAfter));
        return table;
    }
}
