using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Runtime;
using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Recipes;

/// <summary>
/// What the surgery steps (<c>compress</c>, <c>trim</c>, <c>drop-layers</c>, <c>fold-bn</c>) share: the accuracy before
/// and after is measured on the data's test split when the recipe has image data (as the magics do with <c>--data</c>;
/// a text model's perplexity is measured by an <c>evaluate</c> step), and
/// <c>channels-last</c> afterwards feeds the network its batches channels-last.
/// </summary>
public abstract record SurgeryRecipeStep : RecipeStep
{
    /// <summary>Reads the options every surgery step takes.</summary>
    private protected SurgeryRecipeStep(RecipeSection options)
    {
        Source = options;
        ChannelsLast = options.Flag("channels-last");
    }

    /// <summary>Afterwards, feed the network its image batches channels-last.</summary>
    public bool ChannelsLast { get; }

    internal override void Check(RecipeCheck check) => check.NeedModel(this);

    internal override RecipeStepResult Run(RecipeSession session)
    {
        var model = session.Model;
        var data = session.HasData && !session.HasText ? session.Images.Test : null;
        var report = Operate(model, data, new SurgeryMeasurement(data));
        if (ChannelsLast)
            MemoryLayout.UseChannelsLast(model, report.InputShape);
        return new RecipeStepResult(0, Kind, Line, Describe(report), report);
    }

    /// <summary>The surgery itself.</summary>
    private protected abstract SurgeryReport Operate(nn.Module<Tensor, Tensor> model, TensorDataset? data, SurgeryMeasurement measurement);

    private string Describe(SurgeryReport report)
    {
        var (before, after) = (report.Before, report.After);
        var accuracy = before.Accuracy is { } a && after.Accuracy is { } b ? $", accuracy {RecipeFigures.Percent(a)} → {RecipeFigures.Percent(b)}" : "";
        var shortfall = report.Removal?.Shortfall is { } line ? " " + line : "";
        return $"{Kind}: parameters {RecipeFigures.Count(before.Parameters)} → {RecipeFigures.Count(after.Parameters)}, "
            + $"MACs {RecipeFigures.Count(before.Macs)} → {RecipeFigures.Count(after.Macs)}{accuracy}{(ChannelsLast ? ", now channels-last" : "")}.{shortfall}";
    }
}
