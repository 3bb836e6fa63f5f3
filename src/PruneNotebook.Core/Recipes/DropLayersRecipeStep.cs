using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Recipes;

/// <summary>
/// <c>drop-layers</c>: bypasses the <c>count</c> (default 1) least important residual blocks or shape-keeping layers,
/// ranked on the data's test split (<see cref="NetworkSurgery.DropLayers"/>), as <c>#!drop-layers</c>; option <c>channels-last</c>.
/// </summary>
public sealed record DropLayersRecipeStep : SurgeryRecipeStep
{
    internal DropLayersRecipeStep(RecipeSection options) : base(options) => Count = options.Integer("count", 1) ?? 1;

    /// <inheritdoc />
    public override string Kind => "drop-layers";

    /// <summary>How many layers to remove.</summary>
    public int Count { get; }

    internal override void Check(RecipeCheck check)
    {
        base.Check(check);
        check.NeedImages(this, "it ranks layers by the test accuracy left without them; prune a text model's weights instead, e.g. '- prune: {amount: 0.5, criterion: wanda}'.");
        check.NeedData(this, "to rank the layers on");
    }

    private protected override SurgeryReport Operate(nn.Module<Tensor, Tensor> model, TensorDataset? data, SurgeryMeasurement measurement) =>
        NetworkSurgery.DropLayers(model, data!, Count);
}
