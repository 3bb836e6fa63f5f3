using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class WeightDistributionTests
{
    [Fact]
    public void Counts_weights_per_bin_with_outliers_in_the_end_bins_and_the_near_zero_share()
    {
        using var model = nn.Sequential(("fc", nn.Linear(4, 2, hasBias: false)));
        using (no_grad())
            model.parameters().Single().copy_(tensor(new float[] { -0.5f, -0.15f, -0.05f, 0f, 0.0005f, 0.05f, 0.12f, 0.9f }).reshape(2, 4));
        var d = WeightDistribution.Of(model, "toy", bins: 4, range: 0.2, nearZeroThreshold: 1e-3);
        Assert.Equal([-0.2, -0.1, 0.0, 0.1, 0.2], d.BinEdges.Select(e => Math.Round(e, 12)));
        Assert.Equal([2L, 1, 3, 2], d.Counts);   // -0.5 clamps into the first bin, 0.9 into the last; 0 and 0.0005 and 0.05 share [0, 0.1)
        Assert.Equal(8, d.Total);
        Assert.Equal(1, d.ExactZeros);
        Assert.Equal(2, d.NearZero);
        Assert.Equal(0.25, d.NearZeroFraction);
    }

    [Fact]
    public void Rejects_a_histogram_with_fewer_than_two_bins()
    {
        using var model = nn.Sequential(("fc", nn.Linear(4, 2)));
        Assert.Contains("at least 2 bins", Assert.Throws<ArgumentException>(() => WeightDistribution.Of(model, "x", bins: 1)).Message);
    }
}
