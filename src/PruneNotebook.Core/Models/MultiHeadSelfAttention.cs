using PruneNotebook.Core.Surgery;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Models;

/// <summary>
/// Multi-head self-attention written from modules: separate <c>query</c>, <c>key</c> and <c>value</c> projections
/// (Linear dim → H·d), the <c>attend</c> core (<see cref="ScaledDotProductAttention"/>, optionally causal) and the
/// <c>output</c> projection (Linear H·d → dim). Input and output (N, T, dim). The head count is read from the query
/// projection's width, so surgery removes a head by shrinking the four projections (<see cref="IDeclaresAttention"/>).
/// </summary>
public sealed class MultiHeadSelfAttention : nn.Module<Tensor, Tensor>, IDeclaresAttention
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly ScaledDotProductAttention attend;
    private readonly Linear output;

    /// <summary>Creates attention over <paramref name="dim"/> features with <paramref name="heads"/> heads of dim / heads features.</summary>
    /// <param name="dim">Features of the input and output (the residual stream).</param>
    /// <param name="heads">Number of heads; must divide <paramref name="dim"/>.</param>
    /// <param name="causal">Whether position t may attend only to positions ≤ t.</param>
    /// <param name="bias">Whether the projections have biases.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="heads"/> is less than 1 or does not divide <paramref name="dim"/>.</exception>
    public MultiHeadSelfAttention(long dim, long heads, bool causal = false, bool bias = true) : base(nameof(MultiHeadSelfAttention))
    {
        if (heads < 1 || dim % heads != 0)
            throw new ArgumentOutOfRangeException(nameof(heads), heads, $"The head count must be at least 1 and divide the width {dim}.");
        HeadDim = dim / heads;
        query = nn.Linear(dim, dim, bias);
        key = nn.Linear(dim, dim, bias);
        value = nn.Linear(dim, dim, bias);
        attend = new ScaledDotProductAttention(HeadDim, causal);
        output = nn.Linear(dim, dim, bias);
        RegisterComponents();
    }

    /// <summary>Current number of heads (fewer after heads were removed).</summary>
    public long Heads => query.out_features / HeadDim;

    /// <inheritdoc />
    public long HeadDim { get; }

    /// <summary>Whether attention is causal.</summary>
    public bool Causal => attend.Causal;

    /// <inheritdoc />
    public string QueryName => nameof(query);

    /// <inheritdoc />
    public string KeyName => nameof(key);

    /// <inheritdoc />
    public string ValueName => nameof(value);

    /// <inheritdoc />
    public string OutputName => nameof(output);

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var projected = cat([query.call(input), key.call(input), value.call(input)], -1);
        return output.call(attend.call(projected)).MoveToOuterDisposeScope();
    }
}
