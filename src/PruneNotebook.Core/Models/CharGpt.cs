using System.Globalization;
using PruneNotebook.Core.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Models;

/// <summary>
/// A small causal character-level transformer (GPT-style): token embedding plus learned position embedding, pre-norm
/// causal <see cref="TransformerBlock"/>s, a final LayerNorm and an untied Linear head to the vocabulary. Input: token
/// indices (batch, T ≤ context), Int64; output: next-token logits (batch, T, vocabulary). Every layer runs through
/// <c>call</c>, so masks and calibration hooks see it. Defaults fit <see cref="FortunesCorpus"/> and train in a minute or
/// two on two cores. Pruned by default: the Linear layers of its blocks (as the Wanda and SparseGPT papers prune a
/// language model), not the embeddings or the head.
/// </summary>
public sealed class CharGpt : nn.Module<Tensor, Tensor>, IKnowsInputShape, IChoosesPruningTargets
{
    private readonly Embedding tokens;
    private readonly PositionalEmbedding position;
    private readonly Sequential blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;

    /// <summary>A new model with fresh weights.</summary>
    /// <param name="vocabulary">Token count (default the fortunes vocabulary, 96).</param>
    /// <param name="context">Longest sequence (positions).</param>
    /// <param name="dim">Width of the residual stream.</param>
    /// <param name="depth">Transformer blocks.</param>
    /// <param name="heads">Attention heads per block (must divide <paramref name="dim"/>).</param>
    /// <param name="mlpHidden">Hidden width of each block's MLP.</param>
    /// <param name="device">Where the parameters go.</param>
    public CharGpt(long vocabulary = 96, long context = 64, long dim = 64, int depth = 2, long heads = 4, long mlpHidden = 256, Device? device = null)
        : base(nameof(CharGpt))
    {
        if (vocabulary < 2 || context < 1 || depth < 1)
            throw new ArgumentOutOfRangeException(nameof(vocabulary), $"CharGpt needs at least 2 tokens, 1 position and 1 block, got {vocabulary}, {context} and {depth}.");
        Vocabulary = vocabulary;
        Context = context;
        tokens = nn.Embedding(vocabulary, dim);
        position = new PositionalEmbedding(context, dim);
        blocks = nn.Sequential();
        for (var i = 0; i < depth; i++)
            blocks.append(i.ToString(CultureInfo.InvariantCulture), new TransformerBlock(dim, heads, mlpHidden, causal: true));
        norm = nn.LayerNorm(dim);
        head = nn.Linear(dim, vocabulary);
        RegisterComponents();
        if (device is not null)
            this.to(device);
    }

    /// <summary>Token count.</summary>
    public long Vocabulary { get; }

    /// <summary>Longest sequence.</summary>
    public long Context { get; }

    /// <summary>One example is a full window of token indices: (<see cref="Context"/>).</summary>
    public IReadOnlyList<long> ExampleShape => [Context];

    /// <inheritdoc />
    /// <remarks>The Linear layers of the blocks; the head stays dense unless named.</remarks>
    public bool IsPruningTarget(string layer) => layer.StartsWith("blocks.", StringComparison.Ordinal);

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 2 || input.shape[1] > Context)
            throw new ArgumentException($"CharGpt takes token indices of shape (batch, ≤ {Context}), got ({string.Join(", ", input.shape)}).", nameof(input));
        using var scope = NewDisposeScope();
        var x = position.call(tokens.call(input));
        return head.call(norm.call(blocks.call(x))).MoveToOuterDisposeScope();
    }
}
