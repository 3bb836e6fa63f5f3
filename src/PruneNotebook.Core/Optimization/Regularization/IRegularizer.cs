using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Regularization;

/// <summary>
/// A penalty added to the data loss: a differentiable scalar computed from a selection of parameters, on their device.
/// The trainer reports it separately from the data loss.
/// </summary>
public interface IRegularizer
{
    /// <summary>The penalty of <paramref name="parameters"/>: a scalar tensor on their device that carries gradients.</summary>
    /// <param name="parameters">The regularized parameters (e.g. the weights of every Linear and Conv2d), non-empty.</param>
    Tensor Penalty(IReadOnlyList<Tensor> parameters);

    /// <summary>A short description for reports, e.g. <c>l1(1e-05)</c>.</summary>
    string Describe();
}
