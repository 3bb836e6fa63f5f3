using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Initialization;

/// <summary>
/// A weight initialization scheme: fills a layer's weight in place from a given random generator. Adding a scheme is
/// one new file implementing this interface; <see cref="WeightInit.Apply"/> chooses the layers, seeds the generator
/// and handles biases and pruning masks.
/// </summary>
public interface IWeightInitializer
{
    /// <summary>The fewest dimensions a weight needs (2 for schemes that use fan-in and fan-out).</summary>
    int MinimumDimensions { get; }

    /// <summary>Fills <paramref name="weight"/> in place; called without gradient tracking.</summary>
    /// <param name="weight">A weight of at least <see cref="MinimumDimensions"/> dimensions: (out, in) for Linear, (out, in/groups, kh, kw) for Conv2d.</param>
    /// <param name="generator">The random generator to draw from, on the weight's device.</param>
    void Fill(Tensor weight, Generator generator);

    /// <summary>A short description for reports, e.g. <c>kaiming-normal(fan-in, relu)</c>.</summary>
    string Describe();
}
