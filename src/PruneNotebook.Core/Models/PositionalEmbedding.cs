using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Models;

/// <summary>
/// Learned positional embedding as a module: adds row t of <c>weight</c> (positions, dim) to token t of an input
/// (N, T, dim) with T ≤ positions. A module (not arithmetic in forward) so graphs and surgery see it: it carries
/// each residual unit through (removing unit j removes column j of the weight).
/// </summary>
public sealed class PositionalEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    /// <summary>Creates the embedding, initialised from N(0, 0.02²).</summary>
    /// <param name="positions">Most tokens an input may have.</param>
    /// <param name="dim">Features per token.</param>
    /// <param name="device">Device for the weight.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public PositionalEmbedding(long positions, long dim, Device? device = null) : base(nameof(PositionalEmbedding))
    {
        if (positions < 1 || dim < 1)
            throw new ArgumentOutOfRangeException(nameof(positions), $"Positions and width must be positive, got {positions} and {dim}.");
        weight = new Parameter(normal(0, 0.02, [positions, dim], device: device));
        RegisterComponents();
    }

    /// <summary>The weight (positions, dim).</summary>
    public Parameter Weight => weight;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (N, T, dim) with T ≤ positions.</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 3 || input.shape[2] != weight.shape[1] || input.shape[1] > weight.shape[0])
            throw new ArgumentException($"Positional embedding expects (batch, ≤ {weight.shape[0]} tokens, {weight.shape[1]}), got ({string.Join(", ", input.shape)}).", nameof(input));
        using var rows = weight.narrow(0, 0, input.shape[1]);
        return input + rows;
    }
}
