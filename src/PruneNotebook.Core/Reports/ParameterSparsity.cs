namespace PruneNotebook.Core.Reports;

/// <summary>Zeros of one parameter.</summary>
/// <param name="Name">Qualified name, e.g. <c>fc1.weight</c>.</param>
/// <param name="Shape">The parameter's shape.</param>
/// <param name="Count">Number of entries.</param>
/// <param name="Zeros">Entries that are exactly zero.</param>
/// <param name="Masked">Whether a pruning mask holds the zeros in place during training.</param>
/// <param name="Units">Slices along dimension 0 (rows of a Linear weight, filters of a convolution).</param>
/// <param name="DeadUnits">Units that are entirely zero.</param>
/// <param name="Inputs">Slices along dimension 1 (input columns / channels); 0 for 1-D parameters.</param>
/// <param name="DeadInputs">Input slices that are entirely zero.</param>
public sealed record ParameterSparsity(
    string Name,
    IReadOnlyList<long> Shape,
    long Count,
    long Zeros,
    bool Masked,
    long Units,
    long DeadUnits,
    long Inputs,
    long DeadInputs)
{
    /// <summary>
    /// The N:M semi-structured pattern the masked weight follows along its input dimension (e.g. <c>2:4</c>: at most 2
    /// nonzeros in every group of 4 consecutive inputs, and most groups hold exactly 2), or <c>null</c> when it follows
    /// none or is not masked. See <see cref="SparsityReport.Create"/>.
    /// </summary>
    public string? Pattern { get; init; }

    /// <summary>Fraction of entries that are zero.</summary>
    public double Sparsity => Count == 0 ? 0 : (double)Zeros / Count;
}
