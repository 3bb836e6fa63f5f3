using static TorchSharp.torch;

namespace PruneNotebook.Core.Selection;

/// <summary>The scores models are compared by, computed in float64 on the tensors' device.</summary>
public static class Scores
{
    /// <summary>Coefficient of determination 1 − Σ(y − ŷ)² / Σ(y − ȳ)² of predictions (n) against targets (n); 0 when the targets are constant and the fit is not exact.</summary>
    public static double R2(Tensor predictions, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var y = targets.to_type(ScalarType.Float64);
        var p = predictions.to_type(ScalarType.Float64);
        var sums = stack([y.sub(p).square().sum(), y.sub(y.mean()).square().sum()]).cpu().data<double>().ToArray();
        return sums[1] == 0 ? (sums[0] == 0 ? 1 : 0) : 1 - sums[0] / sums[1];
    }

    /// <summary>Mean squared error of predictions (n) against targets (n).</summary>
    public static double MeanSquaredError(Tensor predictions, Tensor targets)
    {
        using var scope = NewDisposeScope();
        return predictions.to_type(ScalarType.Float64).sub(targets.to_type(ScalarType.Float64)).square().mean().item<double>();
    }

    /// <summary>Fraction of predicted class indices (n) equal to the true ones (n).</summary>
    public static double Accuracy(Tensor predictions, Tensor targets)
    {
        using var scope = NewDisposeScope();
        return predictions.to_type(ScalarType.Int64).eq(targets.to_type(ScalarType.Int64)).to_type(ScalarType.Float64).mean().item<double>();
    }
}
