using PruneNotebook.Core.Calibration;
using PruneNotebook.Core.Pruning;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Scoring;

/// <summary>
/// SparseGPT (Frantar &amp; Alistarh 2023): layer-wise optimal-brain-surgeon pruning with reconstruction. For each Linear
/// layer, the Hessian H = XᵀX of its calibration inputs (<c>in × in</c> floats) is dampened by
/// <c>damping · mean(diag H)</c>; with U the upper Cholesky factor of H⁻¹, columns are processed in blocks of
/// <c>blockSize</c>: in each block the mask prunes the entries with the smallest W²/U_jj² (the block's share of the
/// sparsity, or the N:M pattern per group of M columns), and pruning each column spreads its error over the columns
/// still to come (lazy batch updates). The kept weights change. Run by <see cref="Pruner"/> layer by layer, in module
/// order. As in the paper's code, inputs are gathered block by block (<see cref="SequentialCalibration"/>): the Linear
/// layers of a transformer block from one pass of that block over the outputs of the already pruned blocks before it;
/// a Linear layer outside blocks from a pass of the whole model after the layers before it were pruned. As a plain
/// entry score (schedules, sensitivity) it gives the first-step saliency W²/U_jj², without the update. Needs
/// calibration data and Linear layers.
/// </summary>
/// <param name="blockSize">Columns per block (≥ 1; the paper uses 128).</param>
/// <param name="damping">Dampening as a fraction of the mean Hessian diagonal (&gt; 0; the paper uses 0.01).</param>
/// <param name="samples">Calibration examples to use (≥ 1).</param>
public sealed class SparseGptCriterion(int blockSize = 128, double damping = 0.01, int samples = CalibrationPass.DefaultSamples) : IReconstructingCriterion
{
    /// <summary>Columns per block.</summary>
    public int BlockSize { get; } = blockSize >= 1 ? blockSize : throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "--blocksize must be at least 1.");

    /// <summary>Dampening: a fraction of the mean of the Hessian's diagonal added to it.</summary>
    public double Damping { get; } = damping > 0 && double.IsFinite(damping) ? damping : throw new ArgumentOutOfRangeException(nameof(damping), damping, "--damping must be a positive fraction, e.g. 0.01.");

    /// <summary>Calibration examples used.</summary>
    public int Samples { get; } = samples >= 1 ? samples : throw new ArgumentOutOfRangeException(nameof(samples), samples, $"--samples must be at least 1 (calibration examples for sparsegpt), got {samples}.");

    /// <inheritdoc />
    public string Name => "sparsegpt";

    /// <inheritdoc />
    public Tensor ScoreEntries(Tensor parameter, string name, ScoringContext context)
    {
        using var scope = NewDisposeScope();
        var gram = Gram(parameter, name, context);
        var w = parameter.detach().to_type(ScalarType.Float32);
        var (_, hinv) = Prepare(w.clone(), gram, Damping);
        return w.pow(2).div(hinv.diagonal().pow(2).unsqueeze(0)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor PruneLayer(Tensor weight, string name, Tensor? existing, double sparsity, NmSparsity? pattern, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (pattern is { } p && BlockSize % p.M != 0)
            throw new ArgumentException($"--blocksize {BlockSize} is not a multiple of M = {p.M}: {p} groups must not straddle blocks; choose a multiple of {p.M}.");
        var gram = Gram(weight, name, context);
        var (keep, updated) = Reconstruct(weight.detach(), gram, existing, sparsity, pattern, BlockSize, Damping);
        using (updated)
        using (no_grad())
            weight.copy_(updated);
        return keep;
    }

    private Tensor Gram(Tensor weight, string name, ScoringContext context)
    {
        var layer = WandaCriterion.LayerOf(name);
        var network = context.Network(this);
        var data = context.RequireData(this, "the inputs of each layer (calibration data)");
        if (weight.dim() != 2)
            throw new ArgumentException($"The sparsegpt criterion prunes Linear weights (out, in), and '{name}' has shape ({string.Join(", ", weight.shape)}): choose the weights of Linear layers.");
        var calibration = context.Shared("calibration-gram", () => new SequentialCalibration(network, data, Samples, gram: true, oneByOne: true));
        return calibration.For(layer)?.Gram
            ?? throw new ArgumentException($"The sparsegpt criterion prunes Linear weights by their inputs, and '{name}' is not the weight of a Linear layer the calibration data reaches (through call()): choose such Linear layers.");
    }

    /// <summary>
    /// The paper's algorithm on one weight: returns the keep mask and the reconstructed weight (new tensors; inputs unchanged).
    /// </summary>
    /// <param name="weight">(out, in).</param>
    /// <param name="gram">XᵀX of the layer's inputs, (in, in).</param>
    /// <param name="existing">Keep mask already in force, or <c>null</c>.</param>
    /// <param name="sparsity">Fraction pruned in each block (ignored with a pattern).</param>
    /// <param name="pattern">N:M pattern, or <c>null</c>.</param>
    /// <param name="blockSize">Columns per block.</param>
    /// <param name="damping">Fraction of the mean diagonal added to the diagonal.</param>
    internal static (Tensor Keep, Tensor Weight) Reconstruct(Tensor weight, Tensor gram, Tensor? existing, double sparsity, NmSparsity? pattern, int blockSize, double damping)
    {
        using var scope = NewDisposeScope();
        var w = weight.detach().to_type(ScalarType.Float32).clone();
        var (wDead, hinv) = Prepare(w, gram, damping);
        w = wDead;
        var columns = w.shape[1];
        var prunedBefore = existing?.eq(0);
        var prune = zeros_like(w, dtype: ScalarType.Bool);
        for (long i1 = 0; i1 < columns; i1 += blockSize)
        {
            // Everything a column step needs is computed here once per block, so that each step is three tensor ops on
            // views, with no allocation and no host round trip: with U the block of the Cholesky factor and m the
            // column's prune mask (1 pruned), e = w ⊙ m and W1[:, i:] -= e ⊗ (U[i, i:] / U_ii), which leaves the kept
            // weights of column i in W1 (the paper's Q1) and exact zeros where pruned. The error of the block is
            // carried to the later columns in one matmul (the paper's lazy batch update).
            using var blockScope = NewDisposeScope();
            var count = Math.Min(blockSize, columns - i1);
            var w1 = w.narrow(1, i1, count).clone();
            var err1 = zeros_like(w1);
            var hinv1 = hinv.narrow(0, i1, count).narrow(1, i1, count);
            var diag1 = hinv1.diagonal();
            var scaled1 = hinv1.div(diag1.unsqueeze(1));
            var before1 = prunedBefore?.narrow(1, i1, count);
            var mask1 = zeros_like(w1);
            if (pattern is null)
            {
                var tmp = w1.pow(2).div(diag1.pow(2).unsqueeze(0));
                if (before1 is not null)
                    tmp.masked_fill_(before1, float.NegativeInfinity);
                var k = (long)Math.Round(sparsity * tmp.numel(), MidpointRounding.ToEven);
                if (k > 0)
                {
                    var order = tmp.flatten().sort(stable: true).Indices.narrow(0, 0, k);
                    mask1.view(-1).index_fill_(0, order, 1);
                }
            }
            var one = pattern is null ? null : ones(1, dtype: ScalarType.Float32, device: w.device).expand(w.shape[0], pattern.Value.M - pattern.Value.N);
            for (long i = 0; i < count; i++)
            {
                if (pattern is { } nm && i % nm.M == 0)
                {
                    using var groupScope = NewDisposeScope();
                    var tmp = w1.narrow(1, i, nm.M).pow(2).div(diag1.narrow(0, i, nm.M).pow(2).unsqueeze(0));
                    if (before1 is not null)
                        tmp.masked_fill_(before1.narrow(1, i, nm.M), float.NegativeInfinity);
                    mask1.narrow(1, i, nm.M).scatter_(1, tmp.topk(nm.M - nm.N, dim: 1, largest: false).indexes, one!);
                }
                var err = err1.select(1, i);
                err.copy_(w1.select(1, i)).mul_(mask1.select(1, i));
                w1.narrow(1, i, count - i).addr_(err, scaled1.select(0, i).narrow(0, i, count - i), alpha: -1);
            }
            w.narrow(1, i1, count).copy_(w1);
            prune.narrow(1, i1, count).copy_(mask1);
            if (i1 + count < columns)
                w.narrow(1, i1 + count, columns - i1 - count).sub_(err1.matmul(hinv.narrow(0, i1, count).narrow(1, i1 + count, columns - i1 - count).div(diag1.unsqueeze(1))));
        }
        var keep = prune.logical_not().to_type(ScalarType.Float32);
        if (existing is not null)
            keep.mul_(existing.to_type(ScalarType.Float32));
        return (keep.to(weight.device).MoveToOuterDisposeScope(), w.to(weight.dtype).MoveToOuterDisposeScope());
    }

    /// <summary>Zeroes the columns no input reached and returns the upper Cholesky factor of the dampened H⁻¹.</summary>
    private static (Tensor Weight, Tensor HinvUpper) Prepare(Tensor w, Tensor gram, double damping)
    {
        var h = gram.to(w.device).to_type(ScalarType.Float32).clone();
        var diagonal = h.diagonal();
        var dead = diagonal.eq(0);
        diagonal.masked_fill_(dead, 1);
        w.masked_fill_(dead.unsqueeze(0), 0);
        diagonal.add_(diagonal.mean().mul(damping));
        var inverse = cholesky_inverse(linalg.cholesky(h));
        return (w, linalg.cholesky(inverse).t().contiguous());
    }
}
