using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Models;

/// <summary>
/// A pre-norm transformer block (GPT-2 / ViT style) built from modules: <c>attention</c> = x + MHSA(LayerNorm(x)),
/// then <c>mlp</c> = x + fc2(GELU(fc1(LayerNorm(x)))). Input and output (N, T, dim). Module paths:
/// <c>attention.norm</c>, <c>attention.inner.{query,key,value,output}</c>, <c>mlp.norm</c>, <c>mlp.inner.{fc1,fc2}</c>.
/// Surgery can remove heads (<see cref="MultiHeadSelfAttention"/>) and MLP units (fc1 outputs with fc2 inputs) freely;
/// the width <c>dim</c> is the residual stream shared by every block.
/// </summary>
public sealed class TransformerBlock : nn.Module<Tensor, Tensor>
{
    private readonly PreNormResidual attention;
    private readonly PreNormResidual mlp;

    /// <summary>Creates a block.</summary>
    /// <param name="dim">Width of the residual stream.</param>
    /// <param name="heads">Attention heads; must divide <paramref name="dim"/>.</param>
    /// <param name="mlpHidden">Hidden units of the MLP (often 4·dim).</param>
    /// <param name="causal">Whether attention is causal (a decoder).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the heads do not divide the width.</exception>
    public TransformerBlock(long dim, long heads, long mlpHidden, bool causal = false) : base(nameof(TransformerBlock))
    {
        if (dim < 1 || mlpHidden < 1)
            throw new ArgumentOutOfRangeException(nameof(dim), $"Widths must be positive, got dim {dim} and MLP {mlpHidden}.");
        attention = new PreNormResidual(nn.LayerNorm(dim), new MultiHeadSelfAttention(dim, heads, causal));
        mlp = new PreNormResidual(nn.LayerNorm(dim), nn.Sequential(
            ("fc1", nn.Linear(dim, mlpHidden)),
            ("gelu", nn.GELU()),
            ("fc2", nn.Linear(mlpHidden, dim))));
        RegisterComponents();
    }

    /// <summary>The attention layer.</summary>
    public MultiHeadSelfAttention Attention => (MultiHeadSelfAttention)attention.Inner;

    /// <summary>Current hidden units of the MLP (fewer after surgery).</summary>
    public long MlpHidden => ((Linear)((Sequential)mlp.Inner).children().First()).out_features;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return mlp.call(attention.call(input)).MoveToOuterDisposeScope();
    }
}
