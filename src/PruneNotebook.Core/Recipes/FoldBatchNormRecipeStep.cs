using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Recipes;

/// <summary><c>fold-bn</c>: folds every BatchNorm into the layer before it (<see cref="NetworkSurgery.FoldBatchNorm"/>), as <c>#!fold-bn</c>; option <c>channels-last</c>.</summary>
public sealed record FoldBatchNormRecipeStep : SurgeryRecipeStep
{
    internal FoldBatchNormRecipeStep(RecipeSection options) : base(options)
    {
    }

    /// <inheritdoc />
    public override string Kind => "fold-bn";

    private protected override SurgeryReport Operate(nn.Module<Tensor, Tensor> model, TensorDataset? data, SurgeryMeasurement measurement) =>
        NetworkSurgery.FoldBatchNorm(model, null, measurement);
}
