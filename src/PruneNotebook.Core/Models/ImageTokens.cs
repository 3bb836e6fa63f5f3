using static TorchSharp.torch;

namespace PruneNotebook.Core.Models;

/// <summary>
/// Turns a feature map (N, C, H, W) into a token sequence (N, H·W, C): one token per position, its channels as
/// features (a patch embedding's convolution followed by this is ViT's patchify). Parameter-free; the channels stay
/// the same units, now along the last dimension.
/// </summary>
public sealed class ImageTokens : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    public ImageTokens() : base(nameof(ImageTokens)) { }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (N, C, H, W).</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4)
            throw new ArgumentException($"Image tokens expect a (batch, channels, height, width) map, got ({string.Join(", ", input.shape)}).", nameof(input));
        using var flat = input.flatten(2);
        return flat.transpose(1, 2).contiguous();
    }
}
