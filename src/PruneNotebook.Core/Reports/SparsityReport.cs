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
        var masked = PruningMasks.Of(model).Select(m => m.Name).ToHashSet();
        var parameters = model.named_parameters().ToList();
        if (parameters.Count == 0)
            return new SparsityReport(model.GetType().Name, []);

        using var scope = NewDisposeScope();
        var counts = new List<Tensor>(parameters.Count * 3);
        foreach (var (_, p) in parameters)
        {
            // count_nonzero rather than sum over bools: summing widens to int64 first and is far slower.
            counts.Add(count_nonzero(p.detach()));
            var nonzero = p.dim() >= 1 ? p.detach().ne(0) : null;
            counts.Add(nonzero is not null ? DeadSlices(nonzero, 0) : zeros([], ScalarType.Int64, p.device));
            counts.Add(nonzero is not null && p.dim() >= 2 ? DeadSlices(nonzero, 1) : zeros([], ScalarType.Int64, p.device));
        }
        var values = stack(counts.Select(c => c.to(CPU)).ToArray()).data<long>().ToArray();
        var result = new List<ParameterSparsity>(parameters.Count);
        for (var i = 0; i < parameters.Count; i++)
        {
            var (name, p) = parameters[i];
            result.Add(new ParameterSparsity(
                name, p.shape, p.numel(), p.numel() - values[3 * i], masked.Contains(name),
                p.dim() >= 1 ? p.shape[0] : 1, values[3 * i + 1],
                p.dim() >= 2 ? p.shape[1] : 0, values[3 * i + 2]));
        }
        return new SparsityReport(model.GetType().Name, result);
    }

    private static Tensor DeadSlices(Tensor nonzero, int dim)
    {
        var moved = nonzero.movedim([dim], [0]);
        var alive = moved.reshape(moved.shape[0], -1).any(1);
        return count_nonzero(alive).neg().add(alive.numel());
    }
}
