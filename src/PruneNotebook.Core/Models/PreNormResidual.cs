using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Models;

/// <summary>
/// A pre-norm residual branch: <c>x + inner(norm(x))</c>. The addition couples the input's units with the inner
/// layer's output units (<see cref="IDeclaresCoupling"/>), so the residual stream is one group for surgery.
/// </summary>
public sealed class PreNormResidual : nn.Module<Tensor, Tensor>, IDeclaresCoupling
{
    private readonly nn.Module<Tensor, Tensor> norm;
    private readonly nn.Module<Tensor, Tensor> inner;

    /// <summary>Wraps <paramref name="inner"/> with <paramref name="norm"/> before it and a residual addition after it.</summary>
    /// <param name="norm">The normalisation (usually a LayerNorm over the last dimension).</param>
    /// <param name="inner">The branch (attention or MLP); must keep the input's shape.</param>
    public PreNormResidual(nn.Module<Tensor, Tensor> norm, nn.Module<Tensor, Tensor> inner) : base(nameof(PreNormResidual))
    {
        this.norm = norm ?? throw new ArgumentNullException(nameof(norm));
        this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
        RegisterComponents();
    }

    /// <summary>The branch inside the residual.</summary>
    public nn.Module<Tensor, Tensor> Inner => inner;

    /// <inheritdoc />
    public IReadOnlyList<string> AddedBranches => ["", nameof(inner)];

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return inner.call(norm.call(input)).add_(input).MoveToOuterDisposeScope();
    }
}
