using static TorchSharp.torch;

namespace PruneNotebook.Core.Models;

/// <summary>Mean pooling over tokens: (N, T, D) → (N, D). Parameter-free; the D features stay the same units.</summary>
public sealed class TokenMean : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    public TokenMean() : base(nameof(TokenMean)) { }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (N, T, D).</exception>
    public override Tensor forward(Tensor input) =>
        input.dim() == 3
            ? input.mean([1L])
            : throw new ArgumentException($"Token mean pooling expects (batch, tokens, features), got ({string.Join(", ", input.shape)}).", nameof(input));
}
