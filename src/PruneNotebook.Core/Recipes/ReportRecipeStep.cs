using System.Text;
using PruneNotebook.Core.Persistence;

namespace PruneNotebook.Core.Recipes;

/// <summary>
/// <c>report</c>: writes the results of the steps before it as one HTML page (tables and charts, plotly.js inlined, opening
/// offline), atomically. Written <c>- report: report.html</c>. The host renders the page
/// (<see cref="RecipeRunOptions.RenderReport"/>).
/// </summary>
public sealed record ReportRecipeStep : RecipeStep
{
    internal ReportRecipeStep(RecipeSection options)
    {
        Source = options;
        File = options.Text("file", "a file name") ?? throw options.Error("file", "a report step needs 'file': where to write the HTML page, e.g. report.html.");
    }

    /// <inheritdoc />
    public override string Kind => "report";

    /// <summary>The HTML file, relative to the recipe's folder.</summary>
    public string File { get; }

    internal override void Check(RecipeCheck check)
    {
        if (check.Options.RenderReport is null)
            throw Error("this host cannot render HTML reports: run the recipe with prunenotebook run or #!recipe.");
        check.WillWrite(this, "file", File);
    }

    internal override RecipeStepResult Run(RecipeSession session)
    {
        var html = session.Options.RenderReport!(session.Recipe.Name, session.Results);
        AtomicFile.WriteText(session.Resolve(File), html);
        return new RecipeStepResult(0, Kind, Line, $"report: wrote {File}", null);
    }
}
