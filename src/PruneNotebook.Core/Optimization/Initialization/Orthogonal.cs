using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Initialization;

/// <summary>
/// (Semi-)orthogonal initialization (Saxe et al. 2014), PyTorch's <c>orthogonal_</c> algorithm: the weight, viewed as a
/// matrix (out, in·kh·kw), is the Q factor of a Gaussian matrix with the signs of R's diagonal folded in, times the
/// gain. Its rows are orthonormal when out ≤ in (W·Wᵀ = gain²·I), its columns otherwise.
/// </summary>
/// <param name="Gain">Scale (&gt; 0).</param>
/// <exception cref="ArgumentException">The gain is not positive.</exception>
public sealed record Orthogonal(double Gain = 1) : IWeightInitializer
{
    /// <summary>Scale.</summary>
    public double Gain { get; } = Fans.Gain(Gain, nameof(Gain));

    /// <inheritdoc />
    public int MinimumDimensions => 2;

    /// <inheritdoc />
    public void Fill(Tensor weight, Generator generator)
    {
        using var scope = NewDisposeScope();
        var rows = weight.shape[0];
        var cols = weight.numel() / rows;
        var gaussian = empty([rows, cols], dtype: weight.dtype, device: weight.device).normal_(0, 1, generator);
        var tall = rows < cols ? gaussian.t() : gaussian;
        var (q, r) = linalg.qr(tall);
        q = q.mul(r.diagonal().sign());
        if (rows < cols)
            q = q.t();
        weight.copy_(q.reshape(weight.shape).mul(Gain));
    }

    /// <inheritdoc />
    public string Describe() => Gain == 1 ? "orthogonal" : $"orthogonal(gain {Fans.Number(Gain)})";
}
