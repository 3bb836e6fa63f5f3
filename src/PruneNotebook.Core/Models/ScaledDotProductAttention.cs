using static TorchSharp.torch;

namespace PruneNotebook.Core.Models;

/// <summary>
/// The parameter-free core of multi-head attention as one module, so summaries and graphs see it: input (N, T, 3·H·d)
/// holding the query, key and value projections side by side (each H heads of <see cref="HeadDim"/> = d features),
/// output (N, T, H·d), softmax(q·kᵀ / √d)·v per head (with a causal mask when <see cref="Causal"/>), heads concatenated.
/// The head count H follows from the input width, so removing heads from the projections needs no change here.
/// Its own MACs are 2·N·H·T²·d (the score and context matmuls).
/// </summary>
public sealed class ScaledDotProductAttention : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the core for heads of <paramref name="headDim"/> features.</summary>
    /// <param name="headDim">Features per head (≥ 1).</param>
    /// <param name="causal">Whether position t may attend only to positions ≤ t.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="headDim"/> is less than 1.</exception>
    public ScaledDotProductAttention(long headDim, bool causal = false) : base(nameof(ScaledDotProductAttention))
    {
        HeadDim = headDim >= 1 ? headDim : throw new ArgumentOutOfRangeException(nameof(headDim), headDim, "A head needs at least one feature.");
        Causal = causal;
    }

    /// <summary>Features per head.</summary>
    public long HeadDim { get; }

    /// <summary>Whether attention is causal (a decoder's mask).</summary>
    public bool Causal { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (N, T, 3·H·d).</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 3 || input.shape[2] % (3 * HeadDim) != 0)
            throw new ArgumentException($"Attention expects (batch, tokens, 3·heads·{HeadDim}) features, got ({string.Join(", ", input.shape)}).", nameof(input));
        using var scope = NewDisposeScope();
        var (n, t) = (input.shape[0], input.shape[1]);
        var heads = input.shape[2] / (3 * HeadDim);
        // (N, T, 3, H, d) → (3, N, H, T, d)
        var qkv = input.view(n, t, 3, heads, HeadDim).permute(2, 0, 3, 1, 4);
        var context = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], is_casual: Causal);
        return context.transpose(1, 2).reshape(n, t, heads * HeadDim).MoveToOuterDisposeScope();
    }
}
