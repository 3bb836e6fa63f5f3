namespace PruneNotebook.Core.Reports;

/// <summary>
/// Where the nonzero entries of one weight are: the weight seen as a matrix (rows = output units; a convolution's
/// filters flattened to rows), cut into blocks, each holding the fraction of its entries that are nonzero.
/// </summary>
/// <param name="Name">Qualified parameter name.</param>
/// <param name="Rows">Rows of the matrix (output units).</param>
/// <param name="Columns">Columns of the matrix (inputs × kernel positions).</param>
/// <param name="BlockRows">Matrix rows per block (1 at full resolution).</param>
/// <param name="BlockColumns">Matrix columns per block.</param>
/// <param name="Density">Fraction of nonzero entries per block, [block row][block column]; 0 means entirely pruned.</param>
public sealed record WeightMap(string Name, long Rows, long Columns, int BlockRows, int BlockColumns, IReadOnlyList<double[]> Density)
{
    /// <summary>Fraction of the weight's entries that are nonzero.</summary>
    public double Kept => Density.Count == 0 ? 0 : Density.SelectMany(r => r).Average();
}
