using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class NetworkSummaryTests
{
    // Hand-computed for one 28×28 image:
    // conv1 6·1·5·5+6 = 156 params, 6·28·28 outputs × 25 = 117,600 MACs
    // conv2 16·6·5·5+16 = 2,416 params, 16·10·10 outputs × 150 = 240,000 MACs
    // fc1 400·120+120 = 48,120 params, 48,000 MACs; fc2 120·84+84 = 10,164, 10,080; fc3 84·10+10 = 850, 840
    private const long LeNet5Parameters = 61_706;
    private const long LeNet5Macs = 416_520;

    [Fact]
    public void LeNet5_parameters_and_macs_equal_the_hand_computed_totals()
    {
        using var model = new LeNet5();
        var summary = NetworkSummary.Create(model, [1, 1, 28, 28]);
        Assert.Equal(LeNet5Parameters, summary.TotalParameters);
        Assert.Equal(LeNet5Macs, summary.TotalMacs);
        Assert.Empty(summary.UncountedLayerTypes);

        var conv1 = summary.Layers.Single(l => l.Name == "conv1");
        Assert.Equal(("Conv2d", 156L, 117_600L, "5×5"), (conv1.Type, conv1.Parameters, conv1.Macs!.Value, conv1.KernelSize));
        Assert.Equal([1L, 6, 28, 28], conv1.OutputShape);
        var conv2 = summary.Layers.Single(l => l.Name == "conv2");
        Assert.Equal((2_416L, 240_000L), (conv2.Parameters, conv2.Macs!.Value));
        Assert.Equal([1L, 16, 10, 10], conv2.OutputShape);
        Assert.Equal(48_000L, summary.Layers.Single(l => l.Name == "fc1").Macs);
        Assert.Equal("2×2", summary.Layers.Single(l => l.Name == "pool1").KernelSize);
    }

    [Fact]
    public void Layers_come_in_forward_order()
    {
        using var model = new LeNet5();
        var names = NetworkSummary.Create(model, [1, 1, 28, 28]).Layers.Select(l => l.Name);
        Assert.Equal(["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2", "relu4", "fc3"], names);
    }

    [Fact]
    public void LeNet300_100_parameters_and_macs_equal_the_hand_computed_totals()
    {
        using var model = new LeNet300_100();
        var summary = NetworkSummary.Create(model, [1, 1, 28, 28]);
        // 784·300+300 + 300·100+100 + 100·10+10; MACs 784·300 + 300·100 + 100·10
        Assert.Equal(266_610L, summary.TotalParameters);
        Assert.Equal(266_200L, summary.TotalMacs);
        Assert.Equal([1L, 10], summary.Layers[^1].OutputShape);
    }

    [Fact]
    public void Macs_scale_with_the_batch_size()
    {
        using var model = new LeNet5();
        Assert.Equal(4 * LeNet5Macs, NetworkSummary.Create(model, [4, 1, 28, 28]).TotalMacs);
    }

    [Fact]
    public void Nonzero_counts_drop_by_exactly_the_zeroed_weights()
    {
        using var model = new LeNet5();
        var named = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            named["conv1.weight"][0].zero_();          // one 5×5 filter: 25 weights, used at 28·28 positions
            named["fc1.weight"][.., ..100].zero_();    // 120·100 weights, each used once
        }
        var summary = NetworkSummary.Create(model, [1, 1, 28, 28]);
        Assert.Equal(LeNet5Parameters - 25 - 12_000, summary.TotalNonzeroParameters);
        Assert.Equal(LeNet5Parameters, summary.TotalParameters);
        Assert.Equal(LeNet5Macs - 25 * 28 * 28 - 12_000, summary.TotalNonzeroMacs);
        Assert.Equal(LeNet5Macs, summary.TotalMacs);
        var conv1 = summary.Layers.Single(l => l.Name == "conv1");
        Assert.Equal(156 - 25, conv1.NonzeroParameters);
        Assert.Equal(117_600 - 19_600, conv1.NonzeroMacs);
    }

    [Fact]
    public void Works_for_any_sequential_model_with_batchnorm_pooling_and_dropout()
    {
        using var model = nn.Sequential(
            ("conv", nn.Conv2d(3, 8, 3, padding: 1)),
            ("bn", nn.BatchNorm2d(8)),
            ("act", nn.ReLU()),
            ("pool", nn.AdaptiveAvgPool2d(1)),
            ("flat", nn.Flatten()),
            ("drop", nn.Dropout(0.5)),
            ("head", nn.Linear(8, 4)));
        var summary = NetworkSummary.Create(model, [2, 3, 16, 16]);
        // conv: 2·8·16·16 outputs × 27 = 110,592; bn: 2·8·16·16 = 4,096; head: 2·4 × 8 = 64
        Assert.Equal(110_592L + 4_096 + 64, summary.TotalMacs);
        // conv 8·27+8 = 224, bn 16, head 36
        Assert.Equal(224L + 16 + 36, summary.TotalParameters);
        Assert.Equal(7, summary.Layers.Count);
        Assert.Empty(summary.UncountedLayerTypes);
    }

    private sealed class Scale : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter factor = nn.Parameter(ones(1));

        public Scale() : base(nameof(Scale)) => RegisterComponents();

        public override Tensor forward(Tensor input) => input * factor;
    }

    [Fact]
    public void Names_layer_types_it_cannot_count_and_leaves_them_out_of_the_macs()
    {
        using var model = nn.Sequential(("fc", nn.Linear(4, 3)), ("scale", new Scale()));
        var summary = NetworkSummary.Create(model, [1, 4]);
        Assert.Equal(["Scale"], summary.UncountedLayerTypes);
        Assert.Null(summary.Layers.Single(l => l.Name == "scale").Macs);
        Assert.Equal(12L, summary.TotalMacs);
        Assert.Equal(16L, summary.TotalParameters);
    }

    [Fact]
    public void Explains_an_input_shape_the_model_cannot_run_on_and_leaves_the_model_as_it_was()
    {
        using var model = new LeNet5();
        model.train();
        var e = Assert.Throws<ArgumentException>(() => NetworkSummary.Create(model, [1, 3, 28, 28]));
        Assert.Contains("LeNet5 cannot run on input shape (1, 3, 28, 28)", e.Message);
        Assert.True(model.training);
        // The hooks are gone: a later summary still sees each layer once.
        Assert.Equal(12, NetworkSummary.Create(model, [1, 1, 28, 28]).Layers.Count);
    }

    [Fact]
    public void Rejects_empty_and_non_positive_shapes()
    {
        using var model = new LeNet5();
        Assert.Contains("expected positive sizes", Assert.Throws<ArgumentException>(() => NetworkSummary.Create(model, [])).Message);
        Assert.Throws<ArgumentException>(() => NetworkSummary.Create(model, [1, 0, 28, 28]));
    }
}
