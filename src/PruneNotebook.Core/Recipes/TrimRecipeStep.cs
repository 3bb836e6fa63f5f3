using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Recipes;

/// <summary><c>trim</c>: removes every unit pruning zeroed (<see cref="NetworkSurgery.Trim"/>), as <c>#!trim</c>; option <c>channels-last</c>.</summary>
public sealed record TrimRecipeStep : SurgeryRecipeStep
{
    internal TrimRecipeStep(RecipeSection options) : base(options)
    {
    }

    /// <inheritdoc />
    public override string Kind => "trim";

    private protected override SurgeryReport Operate(nn.Module<Tensor, Tensor> model, TensorDataset? data, SurgeryMeasurement measurement) =>
        NetworkSurgery.Trim(model, null, measurement);
}
