using PruneNotebook.Core.Pruning;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Reports;

/// <summary>How sparse a model is: per parameter and in total, with dead units and inputs.</summary>
/// <param name="ModelName">The model's type name.</param>
/// <param name="Parameters">Every parameter, in module order.</param>
public sealed record SparsityReport(string ModelName, IReadOnlyList<ParameterSparsity> Parameters)
{
    /// <summary>All entries of all parameters.</summary>
    public long Total => Parameters.Sum(p => p.Count);

    /// <summary>Entries that are exactly zero.</summary>
    public long Zeros => Parameters.Sum(p => p.Zeros);

    /// <summary>Fraction of all entries that are zero.</summary>
    public double Sparsity => Total == 0 ? 0 : (double)Zeros / Total;

    /// <summary>Total ÷ nonzero entries (e.g. 10 for 90 % zeros); infinity when every entry is zero.</summary>
    public double Compression => Total == Zeros ? double.PositiveInfinity : (double)Total / (Total - Zeros);

    /// <summary>Fraction of zeros over just the parameters <paramref name="names"/> (e.g. the pruning targets).</summary>
    /// <exception cref="KeyNotFoundException">A name is not in the report.</exception>
    public double SparsityOf(IEnumerable<string> names)
    {
        var chosen = names.Select(n => this[n]).ToList();
        var count = chosen.Sum(p => p.Count);
        return count == 0 ? 0 : (double)chosen.Sum(p => p.Zeros) / count;
    }

    /// <summary>The entry for <paramref name="name"/> (e.g. <c>fc1.weight</c>).</summary>
    /// <exception cref="KeyNotFoundException">No such parameter.</exception>
    public ParameterSparsity this[string name] =>
        Parameters.FirstOrDefault(p => p.Name == name) ?? throw new KeyNotFoundException($"The report has no parameter '{name}'.");

    /// <summary>
    /// Counts the zeros of every parameter of <paramref name="model"/>, with dead rows/filters and dead input
    /// columns/channels, reading all counts from the device in one copy.
    /// </summary>
    public static SparsityReport Create(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        PruningMasks.Apply(model);
        var masked = PruningMasks.Of(model).Select(m => m.Name).ToHashSet();
        var parameters = model.named_parameters().ToList();
        if (parameters.Count == 0)
            return new SparsityReport(model.GetType().Name, []);

        using var scope = NewDisposeScope();
        var counts = new List<Tensor>(parameters.Count * 3);
        foreach (var (_, p) in parameters)
        {
            var value = p.detach();
            if (value.dim() >= 2 && value.numel() > 0)
            {
                counts.AddRange(MatrixCounts(value));
                continue;
            }
            var nonzero = count_nonzero(value.ne(0));
            counts.Add(nonzero);
            // A vector's units are its entries: its dead units are its zeros.
            counts.Add(value.dim() == 1 ? nonzero.neg().add(value.numel()) : zeros([], ScalarType.Int64, p.device));
            counts.Add(zeros([], ScalarType.Int64, p.device));
        }
        var values = stack(counts.Select(c => c.to(CPU)).ToArray()).data<long>().ToArray();
        var result = new List<ParameterSparsity>(parameters.Count);
        for (var i = 0; i < parameters.Count; i++)
        {
            var (name, p) = parameters[i];
            result.Add(new ParameterSparsity(
                name, p.shape, p.numel(), p.numel() - values[3 * i], masked.Contains(name),
                p.dim() >= 1 ? p.shape[0] : 1, values[3 * i + 1],
                p.dim() >= 2 ? p.shape[1] : 0, values[3 * i + 2])
            {
                Pattern = masked.Contains(name) && values[3 * i] < p.numel() ? SemiStructuredPattern(p.detach()) : null,
            });
        }
        return new SparsityReport(model.GetType().Name, result);
    }

    /// <summary>
    /// The smallest group size M (2 to 32, dividing the inputs) for which every group of M consecutive entries along the
    /// input dimension holds at most N &lt; M nonzeros and at least half the groups hold exactly N — an N:M pattern, as
    /// <c>Pruner.SemiStructured</c> leaves — as <c>N:M</c>; <c>null</c> when there is none. Unstructured masks do not
    /// pass: somewhere a group keeps all of its entries, or few groups share the largest count.
    /// </summary>
    internal static string? SemiStructuredPattern(Tensor value)
    {
        if (value.dim() < 2)
            return null;
        using var scope = NewDisposeScope();
        var rows = value.dim() > 2 ? value.movedim([1L], [-1L]).contiguous() : value;
        var marked = rows.ne(0);
        foreach (var m in new[] { 2, 4, 8, 16, 32 }.Where(m => value.shape[1] % m == 0))
        {
            var counts = marked.reshape(-1, m).sum(1);
            var n = counts.max().item<long>();
            if (n < m && n > 0 && counts.eq(n).to_type(ScalarType.Float32).mean().item<float>() >= 0.5f)
                return $"{n}:{m}";
        }
        return null;
    }

    /// <summary>
    /// Nonzero entries, dead units (slices along dim 0 that are entirely zero) and dead inputs (slices along dim 1) of a
    /// tensor of two or more dimensions, as device scalars. One float copy marks the nonzero entries (<c>ne_</c> in place:
    /// NaN counts as nonzero, as with <c>ne(0)</c>; libtorch's in-place float comparisons are vectorized, its
    /// boolean-producing ones are not), then two sums give every unit's and every input's count of them: the units'
    /// counts add up to the total, and a count of 0 is a dead slice. The copy is float32 (exact for counts up to 2^24)
    /// unless the parameter is float64 or has a slice that long; widening never turns a nonzero entry into zero. A float32
    /// weight in CPU memory is counted by one vectorized read instead (<see cref="NonzeroScan"/>, the same rule).
    /// </summary>
    /// <param name="value">A tensor of two or more dimensions.</param>
    /// <param name="tensorOps">Count with tensor ops even where the CPU scan applies (tests compare the two).</param>
    internal static Tensor[] MatrixCounts(Tensor value, bool tensorOps = false)
    {
        if (!tensorOps && NonzeroScan.Applies(value))
        {
            var (nonzero, deadUnits, deadInputs) = NonzeroScan.Counts(value);
            return [tensor(nonzero), tensor(deadUnits), tensor(deadInputs)];
        }
        using var scope = NewDisposeScope();
        var longestSlice = value.numel() / Math.Min(value.shape[0], value.shape[1]);
        var wide = value.dtype == ScalarType.Float64 || longestSlice >= 1L << 24;
        var marked = value.to_type(wide ? ScalarType.Float64 : ScalarType.Float32, copy: true).ne_(0);
        var perUnit = marked.reshape(value.shape[0], -1).sum(1);
        var others = Enumerable.Range(0, (int)value.dim()).Where(d => d != 1).Select(d => (long)d).ToArray();
        var perInput = marked.sum(others);
        return
        [
            perUnit.sum(type: ScalarType.Float64).to_type(ScalarType.Int64).MoveToOuterDisposeScope(),
            count_nonzero(perUnit.eq(0)).MoveToOuterDisposeScope(),
            count_nonzero(perInput.eq(0)).MoveToOuterDisposeScope(),
        ];
    }
}
