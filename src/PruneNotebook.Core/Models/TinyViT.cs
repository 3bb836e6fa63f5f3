using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Models;

/// <summary>
/// A small Vision Transformer (Dosovitskiy et al. 2021) for 28×28 grey-scale images: a patch embedding (a
/// <c>patch</c>×<c>patch</c> convolution with that stride, then <see cref="ImageTokens"/>), a learned
/// <see cref="PositionalEmbedding"/>, <c>depth</c> pre-norm <see cref="TransformerBlock"/>s, a final LayerNorm, mean
/// pooling over tokens (<see cref="TokenMean"/>) and a linear classifier. Every step is a module, so summaries count
/// attention's MACs and surgery can remove heads and MLP units. Defaults: patches of 4 (49 tokens), width 64, 4 blocks
/// of 4 heads and 128 MLP units, about 0.14 M parameters and 7.7 M MACs per image. Input (N, 1, 28, 28); output logits (N, 10).
/// </summary>
public sealed class TinyViT : nn.Module<Tensor, Tensor>, IKnowsInputShape
{
    private readonly Conv2d embed;
    private readonly ImageTokens tokens = new();
    private readonly PositionalEmbedding position;
    private readonly Sequential blocks;
    private readonly LayerNorm norm;
    private readonly TokenMean pool = new();
    private readonly Linear head;

    /// <summary>Creates the network, on <paramref name="device"/> (default CPU).</summary>
    /// <param name="dim">Width of the residual stream.</param>
    /// <param name="depth">Transformer blocks.</param>
    /// <param name="heads">Attention heads per block; must divide <paramref name="dim"/>.</param>
    /// <param name="mlpHidden">MLP units per block.</param>
    /// <param name="patch">Patch size; must divide 28.</param>
    /// <param name="inputChannels">Channels of the input images.</param>
    /// <param name="classes">Output classes.</param>
    /// <param name="device">Device for the parameters.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range (the message says which).</exception>
    public TinyViT(long dim = 64, int depth = 4, long heads = 4, long mlpHidden = 128, int patch = 4, int inputChannels = 1, int classes = 10, Device? device = null)
        : base(nameof(TinyViT))
    {
        if (depth < 1)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "A ViT needs at least one block.");
        if (patch < 1 || 28 % patch != 0)
            throw new ArgumentOutOfRangeException(nameof(patch), patch, "The patch size must divide 28 (1, 2, 4, 7, 14, 28).");
        ExampleShape = [inputChannels, 28, 28];
        embed = nn.Conv2d(inputChannels, dim, patch, stride: patch);
        position = new PositionalEmbedding((28 / patch) * (28 / patch), dim);
        blocks = nn.Sequential();
        for (var i = 0; i < depth; i++)
            blocks.append(i.ToString(CultureInfo.InvariantCulture), new TransformerBlock(dim, heads, mlpHidden));
        norm = nn.LayerNorm(dim);
        head = nn.Linear(dim, classes);
        RegisterComponents();
        if (device is not null)
            this.to(device);
    }

    /// <inheritdoc />
    public IReadOnlyList<long> ExampleShape { get; }

    /// <summary>The transformer blocks in order.</summary>
    public IReadOnlyList<TransformerBlock> Blocks => blocks.children().Cast<TransformerBlock>().ToList();

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = position.call(tokens.call(embed.call(input)));
        x = norm.call(blocks.call(x));
        return head.call(pool.call(x)).MoveToOuterDisposeScope();
    }
}
