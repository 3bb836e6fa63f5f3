using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class SurgeryRefusalTests
{
    [Fact]
    public void Removing_all_channels_of_a_layer_is_refused_and_changes_nothing()
    {
        manual_seed(0);
        using var model = new VggNet();
        var values = ModelState.Values(model);
        var layers = ModelState.Layers(model);
        var error = Assert.Throws<ArgumentException>(() => NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(1.0))));
        Assert.StartsWith("Compressing would remove all 16 units of 'features.conv1': lower the amount", error.Message);
        ModelState.AssertUnchanged(model, values, layers);
    }

    [Fact]
    public void A_layer_type_without_surgeon_is_named_with_how_to_register_one()
    {
        manual_seed(0);
        using var model = new TwoConvNet(withMystery: true);
        var values = ModelState.Values(model);
        var layers = ModelState.Layers(model);
        var error = Assert.Throws<ArgumentException>(() => NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5)), inputShape: [1, 1, 8, 8]));
        Assert.Equal("Layer 'mystery' (Mystery) has no layer surgeon, so its units cannot be removed: derive a class from LayerSurgeon<Mystery> and call LayerSurgeons.Register(new YourSurgeon()) first.", error.Message);
        ModelState.AssertUnchanged(model, values, layers);
    }

    [Fact]
    public void A_forward_that_cannot_be_traced_is_refused_and_changes_nothing()
    {
        manual_seed(0);
        using var model = new TwoConvNet(withMystery: false);
        var values = ModelState.Values(model);
        var layers = ModelState.Layers(model);
        var error = Assert.Throws<ArgumentException>(() => NetworkSurgery.Trim(model, [1, 1, 8, 8]));
        Assert.StartsWith("TwoConvNet cannot be traced: the input of 'conv2' is made by an operation outside any module", error.Message);
        ModelState.AssertUnchanged(model, values, layers);
        Assert.Contains("input shape of TwoConvNet is not known", Assert.Throws<ArgumentException>(() => NetworkSurgery.Trim(model)).Message);
    }

    [Fact]
    public void Bad_options_and_unknown_ignored_layers_are_refused()
    {
        manual_seed(0);
        using var model = new LeNet5();
        var values = ModelState.Values(model);
        var layers = ModelState.Layers(model);
        Assert.Contains("amount=1.5 should either be a float in the range [0, 1] or a non-negative integer", Assert.ThrowsAny<ArgumentException>(() => PruningAmount.Of(1.5)).Message);
        Assert.Contains("amount=7 should be smaller than the number of units of 'conv1'=6", Assert.Throws<ArgumentOutOfRangeException>(() => NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Exactly(7)))).Message);
        Assert.Contains("Round-to must be a positive multiple", Assert.Throws<ArgumentException>(() => NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5), RoundTo: 0))).Message);
        Assert.Contains("LeNet5 has no layer 'fc9' to ignore: expected one of conv1, conv2, fc1", Assert.Throws<ArgumentException>(() => NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5), Ignore: ["fc9"]))).Message);
        using var data = new TensorDataset(randn([8, 1, 28, 28]), randint(10, [8]));
        Assert.Contains("Cannot drop 1 layer(s) of LeNet5: expected 1 to 0", Assert.Throws<ArgumentException>(() => NetworkSurgery.DropLayers(model, data, 1)).Message);
        ModelState.AssertUnchanged(model, values, layers);
    }
}
