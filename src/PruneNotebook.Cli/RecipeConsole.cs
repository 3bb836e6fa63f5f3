using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Recipes;
using PruneNotebook.Core.Reports;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PruneNotebook.Cli;

/// <summary>A recipe step's result on the console: its line of text, then the table of its record.</summary>
internal static class RecipeConsole
{
    public static void Show(IAnsiConsole console, RecipeStepResult result)
    {
        var table = result.Record switch
        {
            TrainingHistory history => Tables.History(history),
            SparsityReport sparsity => Tables.Sparsity(sparsity),
            NetworkSummary summary => Tables.Summary(summary),
            SurgeryReport surgery => Tables.Surgery(surgery),
            _ => null,
        };
        if (table is not null)
            console.Write(table);
        // Raw, not wrapped to the terminal width: scripts grep these lines.
        console.Profile.Out.Writer.WriteLine(result.Text);
    }
}
