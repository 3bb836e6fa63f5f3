using PruneNotebook.Core.Models;
using PruneNotebook.Core.Runtime;
using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class MemoryLayoutTests
{
    [Fact]
    public void Channels_last_keeps_shape_and_values_and_stores_channels_innermost()
    {
        using var scope = NewDisposeScope();
        var x = arange(2 * 3 * 4 * 5, dtype: ScalarType.Float32).reshape(2, 3, 4, 5);
        var last = MemoryLayout.ChannelsLast(x);

        Assert.Equal(x.shape, last.shape);
        Assert.Equal([60L, 1, 15, 3], last.stride());
        Assert.True(MemoryLayout.IsChannelsLast(last));
        Assert.False(MemoryLayout.IsChannelsLast(x));
        Assert.Equal(x.data<float>().ToArray(), last.contiguous().data<float>().ToArray());
        var vector = arange(4);
        Assert.Equal([1L], MemoryLayout.ChannelsLast(vector).stride());
    }

    [Fact]
    public void A_compressed_network_gives_the_same_outputs_on_channels_last_inputs_and_keeps_the_layout_through_its_convolutions()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var model = new VggNet([16, 16, 0, 32, 0], inputChannels: 3, imageSize: 16, hidden: 32);
        NetworkSurgery.Compress(model, new CompressionOptions(0.5, Ignore: ["fc1"]));
        model.eval();
        var x = randn(4, 3, 16, 16, generator: new Generator(4));
        using var noGrad = no_grad();

        var expected = model.call(x);
        var actual = model.call(MemoryLayout.ChannelsLast(x));
        var firstConv = model.named_modules().Select(m => m.module).OfType<TorchSharp.Modules.Conv2d>().First();

        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5));
        Assert.True(MemoryLayout.IsChannelsLast(firstConv.call(MemoryLayout.ChannelsLast(x))));
    }
}
