using PruneNotebook.Core.Models;
using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class DependencyGraphTests
{
    [Fact]
    public void LeNet5_couples_each_layer_to_the_next_and_conv2_to_blocks_of_25_inputs_of_fc1()
    {
        manual_seed(0);
        using var model = new LeNet5();
        var graph = DependencyGraph.Build(model);
        var conv1 = graph.GroupProducedBy("conv1")!;
        Assert.Equal(6, conv1.Size);
        Assert.Equal(["conv1", "relu1", "pool1", "conv2"], conv1.Members.Select(m => m.Name));
        Assert.True(conv1.IsPrunable);
        var conv2 = graph.GroupProducedBy("conv2")!;
        var fc1 = Assert.Single(conv2.Consumers);
        Assert.Equal(("fc1", 25L), (fc1.Name, fc1.Block));
        Assert.Equal("the network output", graph.GroupProducedBy("fc3")!.FixedReason);
        Assert.Equal("the network input", graph.Groups.Single(g => g.Consumers.Any(c => c.Name == "conv1")).FixedReason);
        Assert.Equal(4, graph.Groups.Count(g => g.IsPrunable));
    }

    [Fact]
    public void ResNet20_joins_every_layer_that_feeds_an_addition_into_one_group_per_stage()
    {
        manual_seed(0);
        using var model = new ResNet20();
        var graph = DependencyGraph.Build(model);
        var stage1 = graph.GroupProducedBy("stem")!;
        Assert.Equal(16, stage1.Size);
        Assert.Equal(["stem", "stage1.0.conv2", "stage1.1.conv2", "stage1.2.conv2"], stage1.Producers.Select(p => p.Name));
        Assert.Contains(stage1.Consumers, c => c.Name == "stage2.0.shortcut.conv");
        var stage3 = graph.GroupProducedBy("stage3.0.shortcut.conv")!;
        Assert.Equal(["stage3.0.conv2", "stage3.0.shortcut.conv", "stage3.1.conv2", "stage3.2.conv2"], stage3.Producers.Select(p => p.Name).Order());
        Assert.Contains(stage3.Consumers, c => c.Name == "fc");
        // Inside each block, conv1's channels are free: 9 blocks, plus the three stage groups.
        Assert.Equal(12, graph.Groups.Count(g => g.IsPrunable));
    }
}
