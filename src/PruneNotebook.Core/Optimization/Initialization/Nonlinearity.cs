namespace PruneNotebook.Core.Optimization.Initialization;

/// <summary>The activation that follows a layer, which sets the gain of Kaiming and Xavier schemes (PyTorch's <c>calculate_gain</c>).</summary>
public enum Nonlinearity
{
    /// <summary>No activation (or sigmoid): gain 1.</summary>
    Linear,

    /// <summary>ReLU: gain √2.</summary>
    ReLU,

    /// <summary>Leaky ReLU with a negative slope a: gain √(2 / (1 + a²)).</summary>
    LeakyReLU,

    /// <summary>tanh: gain 5/3.</summary>
    Tanh,

    /// <summary>Sigmoid: gain 1.</summary>
    Sigmoid,
}
