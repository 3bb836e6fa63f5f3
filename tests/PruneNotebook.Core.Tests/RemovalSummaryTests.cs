using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Surgery;
using TorchSharp.Modules;
using static TorchSharp.torch;
using TensorDataset = PruneNotebook.Core.Data.TensorDataset;

namespace PruneNotebook.Core.Tests;

/// <summary>Surgery that removes less than asked says how much, where and why.</summary>
public class RemovalSummaryTests
{
    private static readonly SurgeryMeasurement Quick = new(LatencyBatch: 2, LatencyRepeats: 1);

    [Fact]
    public void Compression_capped_by_the_maximum_fraction_names_every_capped_group()
    {
        manual_seed(0);
        using var model = new LeNet5();
        var report = NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5), MaxFraction: 0.25), measurement: Quick);

        var removal = report.Removal!;
        // Half of conv1 (6), conv2 (16), fc1 (120), fc2 (84) is 3 + 8 + 60 + 42; a quarter, rounded down, is 1 + 4 + 30 + 21. fc3's logits are not asked for.
        Assert.Equal(("units", 113L, 56L), (removal.Unit, removal.Requested, removal.Removed));
        Assert.Equal([("conv1", 6L, 2L), ("conv2", 16L, 4L), ("fc1", 120L, 30L), ("fc2", 84L, 21L)], removal.Kept.Select(k => (k.Group, k.Size, k.Units)));
        Assert.All(removal.Kept, k => Assert.Equal("max fraction 0.25 reached", k.Reason));
        Assert.Equal("Removed 56 of 113 requested units; 57 could not be: 57 in 'conv1', 'conv2', 'fc1' and 1 more (max fraction 0.25 reached).", removal.Shortfall);
        Assert.Equal(6 - 1, ((Conv2d)model.named_modules().Single(m => m.name == "conv1").module).out_channels);
    }

    [Fact]
    public void Compression_says_which_groups_a_layer_that_cannot_be_cut_fixed()
    {
        manual_seed(0);
        using var model = GroupedConvNet();
        var report = NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5)), inputShape: [1, 1, 8, 8], measurement: Quick);

        // conv1's and conv2's 8 channels each would lose 4, but the grouped conv2 cannot be cut; conv3 loses 2 of 4.
        Assert.Equal((10L, 2L), (report.Removal!.Requested, report.Removal.Removed));
        Assert.Equal(
            "Removed 2 of 10 requested units; 8 could not be: 8 in 'conv1', 'conv2' (fixed: 'conv2' cannot be cut: it is a grouped convolution (groups = 2, 4 input and 4 output channels per group); only dense and depthwise convolutions can be cut).",
            report.Removal.Shortfall);
        Assert.Equal(["conv3", "fc"], report.Layers.Select(l => l.Name));
    }

    [Fact]
    public void Compression_that_removes_all_it_was_asked_reports_no_shortfall()
    {
        manual_seed(0);
        using var model = new LeNet5();
        var report = NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5), RoundTo: 4), measurement: Quick);
        // Kept counts rounded to multiples of 4 are what was asked: 6 → 4 (2 go), 16 → 8, 120 → 60, 84 → 44 (40 go).
        Assert.Equal((110L, 110L), (report.Removal!.Requested, report.Removal.Removed));
        Assert.Empty(report.Removal.Kept);
        Assert.Null(report.Removal.Shortfall);
    }

    [Fact]
    public void Trimming_says_which_dead_units_it_kept_and_why()
    {
        manual_seed(0);
        using var lenet = new LeNet5();
        using (no_grad())
            foreach (var name in new[] { "conv1.weight", "conv1.bias" })
                lenet.named_parameters().Single(p => p.name == name).parameter.zero_();
        var report = NetworkSurgery.Trim(lenet, measurement: Quick);
        Assert.Equal(("dead units", 6L, 5L), (report.Removal!.Unit, report.Removal.Requested, report.Removal.Removed));
        Assert.Equal("Removed 5 of 6 requested dead units; 1 could not be: 1 in 'conv1' (every unit is dead: one is kept so the layer keeps an output).",
            report.Removal.Shortfall);

        manual_seed(0);
        using var grouped = GroupedConvNet();
        using (no_grad())
            foreach (var name in new[] { "conv1.weight", "conv1.bias" })
                grouped.named_parameters().Single(p => p.name == name).parameter[0].zero_();
        var fixedReport = NetworkSurgery.Trim(grouped, inputShape: [1, 1, 8, 8], measurement: Quick);
        Assert.Equal((1L, 0L), (fixedReport.Removal!.Requested, fixedReport.Removal.Removed));
        Assert.Equal("fixed: 'conv2' cannot be cut: it is a grouped convolution (groups = 2, 4 input and 4 output channels per group); only dense and depthwise convolutions can be cut", Assert.Single(fixedReport.Removal.Kept).Reason);
        Assert.Empty(fixedReport.Layers);
    }

    [Fact]
    public void Dropping_layers_bypasses_a_block_applied_twice_at_both_calls_and_says_when_a_candidate_lies_inside_a_dropped_one()
    {
        manual_seed(0);
        using var model = new RepeatedResidualNet();
        using var data = new TensorDataset(randn([32, 1, 8, 8], generator: new Generator(5)), randint(3, [32], generator: new Generator(6)));

        var report = NetworkSurgery.DropLayers(model, data, 2, inputShape: [1, 1, 8, 8], measurement: new SurgeryMeasurement(data, LatencyBatch: 2, LatencyRepeats: 1));

        // The block and its convolution are candidates, each called twice; dropping one drops the other with it.
        Assert.Equal([("blocks.0", 2), ("blocks.0.conv", 2)], report.Candidates.Select(c => (c.Name, c.Calls)).Order());
        var dropped = Assert.Single(report.Candidates, c => c.Dropped).Name;
        var other = report.Candidates.Single(c => !c.Dropped).Name;
        Assert.Equal(("layers", 2L, 1L), (report.Removal!.Unit, report.Removal.Requested, report.Removal.Removed));
        var reason = dropped == "blocks.0" ? "inside 'blocks.0', which is dropped" : "it holds 'blocks.0.conv', which is dropped";
        Assert.Equal($"Removed 1 of 2 requested layers; 1 could not be: 1 in '{other}' ({reason}).", report.Removal.Shortfall);
        // One module in two places: it is bypassed in both.
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        if (dropped == "blocks.0")
            Assert.All(new[] { "blocks.0", "blocks.1" }, name => Assert.IsType<Identity>(modules[name]));
        else
            Assert.All(new[] { "blocks.0.conv", "blocks.1.conv" }, name => Assert.IsType<Identity>(modules[name]));
        Assert.Equal([2L, 3], model.call(randn(2, 1, 8, 8)).shape);
    }

    /// <summary>conv 1→8, ReLU, grouped conv 8→8 (2 groups), ReLU, conv 8→4, pooling, linear 4→3.</summary>
    private static Sequential GroupedConvNet() => nn.Sequential(
        ("conv1", nn.Conv2d(1, 8, 3, padding: 1)), ("relu1", nn.ReLU()), ("conv2", nn.Conv2d(8, 8, 3, padding: 1, groups: 2)), ("relu2", nn.ReLU()),
        ("conv3", nn.Conv2d(8, 4, 3, padding: 1)), ("pool", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()), ("fc", nn.Linear(4, 3)));
}
