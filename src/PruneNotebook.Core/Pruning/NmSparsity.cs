using System.Globalization;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>
/// N:M semi-structured sparsity (e.g. 2:4, the pattern sparse tensor cores run): along the input dimension of a
/// weight, every group of M consecutive entries keeps at most N. For a Linear weight (out, in) the groups run along
/// each row; for a convolution (out, in, kh, kw) along the input channels at each kernel position.
/// </summary>
public readonly record struct NmSparsity
{
    /// <summary>A pattern that keeps <paramref name="n"/> of every <paramref name="m"/> entries.</summary>
    /// <exception cref="ArgumentException">Not 1 ≤ N &lt; M.</exception>
    public NmSparsity(int n, int m)
    {
        if (m < 2 || n < 1 || n >= m)
            throw new ArgumentException($"--n-m {n}:{m}: expected N:M with 1 ≤ N < M, e.g. 2:4 (keep 2 of every 4).");
        N = n;
        M = m;
    }

    /// <summary>Entries kept per group.</summary>
    public int N { get; }

    /// <summary>Group size.</summary>
    public int M { get; }

    /// <summary>The sparsity the pattern gives: 1 − N/M.</summary>
    public double Sparsity => 1 - (double)N / M;

    /// <summary>Reads <c>2:4</c>.</summary>
    /// <exception cref="ArgumentException">Not two whole numbers N:M with 1 ≤ N &lt; M.</exception>
    public static NmSparsity Parse(string text)
    {
        var parts = (text ?? "").Split(':');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var m))
            throw new ArgumentException($"--n-m '{text}': expected N:M with 1 ≤ N < M, e.g. 2:4 (keep 2 of every 4).");
        return new NmSparsity(n, m);
    }

    /// <summary>Checks that <paramref name="parameter"/> can take the pattern: at least two dimensions, inputs divisible by M.</summary>
    /// <exception cref="ArgumentException">It cannot; the message names it.</exception>
    public void Check(Tensor parameter, string name)
    {
        if (parameter.dim() < 2)
            throw new ArgumentException($"'{name}' has no input dimension for {this} sparsity: choose weights of Linear or convolution layers.");
        if (parameter.shape[1] % M != 0)
            throw new ArgumentException($"'{name}' has {parameter.shape[1]} inputs, not divisible by M = {M}: {this} sparsity needs groups of {M} along the input dimension.");
    }

    /// <summary>
    /// The keep mask (1/0, float) of the pattern for <paramref name="scores"/> (the parameter's shape): in each group the
    /// N highest scores stay. Entries already pruned by <paramref name="existing"/> stay pruned and are chosen first.
    /// </summary>
    internal Tensor KeepMask(Tensor scores, Tensor? existing)
    {
        using var scope = NewDisposeScope();
        var s = scores.to_type(ScalarType.Float32).clone();
        if (existing is not null)
            s.masked_fill_(existing.eq(0), float.NegativeInfinity);
        var moved = s.dim() > 2 ? s.movedim([1L], [-1L]).contiguous() : s.contiguous();
        var grouped = moved.reshape(-1, M);
        var prune = grouped.topk(M - N, dim: 1, largest: false).indexes;
        var keep = ones_like(grouped).scatter_(1, prune, zeros_like(prune, dtype: ScalarType.Float32));
        var back = keep.reshape(moved.shape);
        var mask = s.dim() > 2 ? back.movedim([-1L], [1L]).contiguous() : back;
        if (existing is not null)
            mask = mask.mul(existing.to_type(ScalarType.Float32));
        return mask.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"{N}:{M}";
}
