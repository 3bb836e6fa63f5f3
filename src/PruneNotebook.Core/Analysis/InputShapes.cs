using PruneNotebook.Core.Models;
using TorchSharp;
using TorchSharp.Modules;

namespace PruneNotebook.Core.Analysis;

/// <summary>Parses and infers network input shapes.</summary>
public static class InputShapes
{
    /// <summary>
    /// A batch-of-one input shape for <paramref name="module"/> when it can be known without being told:
    /// from <see cref="IKnowsInputShape"/>, or from a first layer that is Linear (1, in_features).
    /// <c>null</c> when it cannot (e.g. a network starting with a convolution: its image size is unknown).
    /// </summary>
    public static long[]? Infer(torch.nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module is IKnowsInputShape known)
            return [1, .. known.ExampleShape];
        var first = module.modules().FirstOrDefault(m => !m.children().Any() && m.parameters(recurse: false).Any());
        return first is Linear linear ? [1, linear.in_features] : null;
    }

    /// <summary>
    /// The first layer with weights that <paramref name="module"/> applies to its input, when it is an Embedding: the
    /// model reads token indices (int64) rather than features; <c>null</c> otherwise.
    /// </summary>
    internal static Embedding? TokenEmbedding(torch.nn.Module module) =>
        module.modules().FirstOrDefault(m => !m.children().Any() && m.parameters(recurse: false).Any()) as Embedding;

    /// <summary>Whether <paramref name="module"/> reads token indices (text, e.g. CharGpt) rather than features: its first layer with weights is an Embedding.</summary>
    public static bool ReadsTokens(torch.nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return TokenEmbedding(module) is not null;
    }

    /// <summary>
    /// An example input of <paramref name="shape"/> for tracing: zeros, of int64 token indices for a model that starts
    /// with an Embedding (<see cref="TokenEmbedding"/>), else of the default float type.
    /// </summary>
    internal static torch.Tensor Zeros(torch.nn.Module module, long[] shape, torch.Device device) =>
        TokenEmbedding(module) is not null ? torch.zeros(shape, torch.ScalarType.Int64, device) : torch.zeros(shape, device: device);

    /// <summary>Parses a shape such as <c>1,1,28,28</c> (also accepts <c>(1, 1, 28, 28)</c> and <c>1x1x28x28</c>).</summary>
    /// <exception cref="FormatException">The text is not a list of positive integers; the message shows an example.</exception>
    public static long[] Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Trim('(', ')', '[', ']').Split([',', 'x', '×', ' '], StringSplitOptions.RemoveEmptyEntries);
        var shape = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out shape[i]) || shape[i] <= 0)
                shape = [];
            if (shape.Length == 0)
                break;
        }
        if (shape.Length == 0)
            throw new FormatException($"'{text}' is not an input shape: expected comma-separated positive integers including the batch size, e.g. 1,1,28,28.");
        return shape;
    }
}
