namespace PruneNotebook.Core.Optimization.Initialization;

/// <summary>Which fan a Kaiming initialization preserves the variance of.</summary>
public enum FanMode
{
    /// <summary>Inputs per output unit (in · kh · kw): preserves the variance of activations in the forward pass.</summary>
    FanIn,

    /// <summary>Outputs per input unit (out · kh · kw): preserves the variance of gradients in the backward pass.</summary>
    FanOut,
}
