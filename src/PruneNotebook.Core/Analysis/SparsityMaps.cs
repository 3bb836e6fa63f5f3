using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Analysis;

/// <summary>Builds <see cref="SparsityMap"/>s: which entries of each weight matrix are zero.</summary>
public static class SparsityMaps
{
    /// <summary>
    /// Maps the weights of every Linear and convolution layer (or of <paramref name="parameters"/>). A matrix larger than
    /// <paramref name="maxRows"/> × <paramref name="maxColumns"/> is averaged over blocks so the map stays drawable;
    /// LeNet-300-100's 300 × 784 first layer is kept at full resolution by the defaults.
    /// </summary>
    public static SparsityMap Create(nn.Module model, IReadOnlyList<string>? parameters = null, int maxRows = 300, int maxColumns = 800)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (maxRows < 1 || maxColumns < 1)
            throw new ArgumentOutOfRangeException(nameof(maxRows), "The map size must be at least 1 × 1.");
        PruningMasks.Apply(model);
        var names = parameters ?? Pruner.LayerWeights(model);
        var all = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var maps = new List<WeightMap>();
        foreach (var name in names)
        {
            if (!all.TryGetValue(name, out var weight))
                throw new ArgumentException($"{model.GetType().Name} has no parameter '{name}'.", nameof(parameters));
            using var scope = NewDisposeScope();
            var matrix = weight.detach().ne(0).to_type(ScalarType.Float32).reshape(weight.shape[0], -1);
            var (rows, columns) = (matrix.shape[0], matrix.shape[1]);
            var blockRows = (int)Math.Ceiling((double)rows / maxRows);
            var blockColumns = (int)Math.Ceiling((double)columns / maxColumns);
            var density = blockRows == 1 && blockColumns == 1
                ? matrix
                : nn.functional.avg_pool2d(matrix.unsqueeze(0).unsqueeze(0), [blockRows, blockColumns], ceil_mode: true).squeeze(0).squeeze(0);
            var values = density.cpu().data<float>().ToArray();
            var width = (int)density.shape[1];
            var grid = Enumerable.Range(0, (int)density.shape[0])
                .Select(r => values.AsSpan(r * width, width).ToArray().Select(v => (double)v).ToArray())
                .ToList();
            maps.Add(new WeightMap(name, rows, columns, blockRows, blockColumns, grid));
        }
        return new SparsityMap(model.GetType().Name, maps);
    }
}
