using PruneNotebook.Core.Models;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
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
        NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5), Ignore: ["fc1"]));
        model.eval();
        var x = randn(4, 3, 16, 16, generator: new Generator(4));
        using var noGrad = no_grad();

        var expected = model.call(x);
        var actual = model.call(MemoryLayout.ChannelsLast(x));
        var firstConv = model.named_modules().Select(m => m.module).OfType<TorchSharp.Modules.Conv2d>().First();

        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5));
        Assert.True(MemoryLayout.IsChannelsLast(firstConv.call(MemoryLayout.ChannelsLast(x))));
    }

    [Fact]
    public void Use_channels_last_feeds_the_convolutions_channels_last_with_the_same_outputs_until_undone()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var model = new VggNet([8, 0, 16, 0], inputChannels: 3, imageSize: 16, hidden: 16);
        model.eval();
        var conv = model.named_modules().Select(m => m.module).OfType<TorchSharp.Modules.Conv2d>().First();
        var seen = new List<bool>();
        conv.register_forward_hook((_, input, output) =>
        {
            seen.Add(MemoryLayout.IsChannelsLast(input));
            return output;
        });
        var x = randn(4, 3, 16, 16, generator: new Generator(6));
        using var noGrad = no_grad();
        var expected = model.call(x);

        MemoryLayout.UseChannelsLast(model);
        MemoryLayout.UseChannelsLast(model); // a second call changes nothing
        seen.Clear();
        var actual = model.call(x);
        Assert.True(MemoryLayout.UsesChannelsLast(model));
        Assert.Equal([true], seen);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-6));
        Assert.False(MemoryLayout.IsChannelsLast(x), "the caller's batch is left as it was");
        Assert.All(model.parameters(), p => Assert.True(p.is_contiguous(), "parameters keep their layout, so the model still saves"));
        var path = Path.Combine(Path.GetTempPath(), $"prunenotebook-layout-{Guid.NewGuid():N}.bin");
        try
        {
            ModelFile.Save(model, path);
            Assert.True(new FileInfo(path).Length > 0);
        }
        finally
        {
            File.Delete(path);
        }

        MemoryLayout.UseDefaultLayout(model);
        seen.Clear();
        model.call(x).Dispose();
        Assert.False(MemoryLayout.UsesChannelsLast(model));
        Assert.Equal([false], seen);
    }

    [Fact]
    public void Training_through_channels_last_gives_the_gradients_of_the_default_layout()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var model = new VggNet([8, 0, 16, 0], inputChannels: 3, imageSize: 16, hidden: 16);
        var x = randn(6, 3, 16, 16, generator: new Generator(8));
        var y = tensor(new long[] { 0, 1, 2, 3, 4, 5 });
        Tensor[] Gradients()
        {
            model.zero_grad();
            nn.functional.cross_entropy(model.call(x), y).backward();
            return model.parameters().Select(p => p.grad!.clone()).ToArray();
        }
        var expected = Gradients();
        MemoryLayout.UseChannelsLast(model);
        var actual = Gradients();
        Assert.All(expected.Zip(actual), pair => Assert.True(pair.Second.allclose(pair.First, rtol: 1e-3, atol: 1e-5)));
    }

    [Fact]
    public void A_model_that_needs_contiguous_activations_or_takes_no_images_is_refused_and_left_as_it_was()
    {
        using var viewing = new ViewingNet();
        var error = Assert.Throws<ArgumentException>(() => MemoryLayout.UseChannelsLast(viewing, [1, 3, 8, 8]));
        Assert.StartsWith("ViewingNet cannot run on channels-last inputs (", error.Message);
        Assert.Contains("needs reshape instead", error.Message);
        Assert.False(MemoryLayout.UsesChannelsLast(viewing));

        using var vgg = new VggNet([8, 0], inputChannels: 3, imageSize: 8, hidden: 4);
        error = Assert.Throws<ArgumentException>(() => MemoryLayout.UseChannelsLast(vgg, [1, 1, 8, 8]));
        Assert.StartsWith("VggNet cannot run on input shape (1, 1, 8, 8) (", error.Message);
        Assert.Contains("): pass the shape it takes, e.g. 1,3,32,32.", error.Message);
        Assert.False(MemoryLayout.UsesChannelsLast(vgg));

        using var mlp = nn.Sequential(nn.Linear(20, 4));
        error = Assert.Throws<ArgumentException>(() => MemoryLayout.UseChannelsLast(mlp));
        Assert.StartsWith("Channels-last applies to image batches (N, C, H, W); Sequential takes (1, 20).", error.Message);
        Assert.False(MemoryLayout.UsesChannelsLast(mlp));
    }

    [Fact]
    public void Surgery_reports_time_image_networks_in_both_layouts_and_other_networks_in_one()
    {
        manual_seed(9);
        using var vgg = new VggNet([8, 0, 16, 0], inputChannels: 3, imageSize: 16, hidden: 16);
        var measurement = new SurgeryMeasurement(LatencyBatch: 4, LatencyRepeats: 1);
        var report = NetworkSurgery.Compress(vgg, new CompressionOptions(PruningAmount.Of(0.5)), measurement: measurement);
        Assert.True(report.Before.ChannelsLastLatencyMilliseconds > 0);
        Assert.True(report.After.ChannelsLastLatencyMilliseconds > 0);
        Assert.Equal(report.Before.LatencyMilliseconds / report.After.ChannelsLastLatencyMilliseconds, report.ChannelsLastSpeedup);

        using var mlp = nn.Sequential(("fc1", nn.Linear(20, 8)), ("relu", nn.ReLU()), ("fc2", nn.Linear(8, 4)));
        report = NetworkSurgery.Compress(mlp, new CompressionOptions(PruningAmount.Of(0.5)), measurement: measurement);
        Assert.Null(report.After.ChannelsLastLatencyMilliseconds);
        Assert.Null(report.ChannelsLastSpeedup);
    }

    /// <summary>Flattens a convolution's output with <c>view</c>, which needs it contiguous.</summary>
    private sealed class ViewingNet : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Conv2d conv = nn.Conv2d(3, 4, 3, padding: 1);

        public ViewingNet() : base(nameof(ViewingNet)) => RegisterComponents();

        public override Tensor forward(Tensor input) => conv.call(input).view(input.shape[0], -1);
    }
}
