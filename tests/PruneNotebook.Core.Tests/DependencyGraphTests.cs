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

    [Fact]
    public void A_relu_shared_by_three_convolutions_is_a_member_of_each_group_once_per_call()
    {
        manual_seed(0);
        using var model = new SharedReluCnn(shared: true);
        var graph = DependencyGraph.Build(model, [1, 3, 16, 16]);
        Assert.Equal(
            ["(input) 3: c1", "c1 16: c1 → relu → c2", "c2 32: c2 → relu (call 2) → c3", "c3 32: c3 → relu (call 3) → pool → flatten → fc", "fc 10: fc"],
            graph.Groups.Select(g => $"{g.Name} {g.Size}: {string.Join(" → ", g.Members.Select(m => m.Label))}"));
        Assert.Equal(["c1", "c2", "c3"], graph.Groups.Where(g => g.IsPrunable).Select(g => g.Name));
        Assert.Equal([0, 1, 2], graph.Calls.Where(c => c.Name == "relu").Select(c => c.Call));
    }

    [Fact]
    public void A_relu_and_a_pool_registered_twice_in_a_sequential_are_traced_once_per_call()
    {
        manual_seed(0);
        using var model = new SharedPoolNet(shared: true);
        var graph = DependencyGraph.Build(model, [1, 1, 16, 16]);
        // One module, two names: traced under the first, one call at each place it is used.
        Assert.Equal(["features.conv1", "features.relu1", "features.pool1", "features.conv2"], graph.GroupProducedBy("features.conv1")!.Members.Select(m => m.Label));
        var conv2 = graph.GroupProducedBy("features.conv2")!;
        Assert.Equal(["features.conv2", "features.relu1 (call 2)", "features.pool1 (call 2)", "flatten", "fc"], conv2.Members.Select(m => m.Label));
        Assert.Equal(16, conv2.Consumers.Single().Block);
        Assert.Equal(2, graph.Groups.Count(g => g.IsPrunable));
        Assert.Equal(2, graph.Calls.Count(c => c.Name == "features.pool1"));
        Assert.DoesNotContain(graph.Calls, c => c.Name is "features.relu2" or "features.pool2");
    }

    [Fact]
    public void A_block_applied_twice_couples_its_input_and_output_through_its_shared_convolution()
    {
        manual_seed(0);
        using var model = new TwiceAppliedBlockNet();
        var graph = DependencyGraph.Build(model, [1, 1, 8, 8]);
        // block.conv reads the stem's channels and then its own (a consumer and a producer of the group), and each call of the
        // stateless block.relu is a member of its own.
        var group = Assert.Single(graph.Groups, g => g.IsPrunable);
        Assert.Equal("stem + block.conv", group.Name);
        Assert.Equal("stem → relu → block.conv → block.conv → block.bn → block.relu → block.relu (call 2) → pool → flatten → head (8 units)", group.ToString());
        Assert.Equal(["block.conv", "head"], group.Consumers.Select(c => c.Name));
        Assert.Equal([0, 1], graph.Calls.Where(c => c.Name == "block").Select(c => c.Call));
    }

    [Fact]
    public void A_torchvision_block_calling_its_relu_twice_keeps_its_inner_channels_apart_from_the_residual_stream()
    {
        manual_seed(0);
        using var model = new TorchvisionStyleResNet(shared: true);
        var graph = DependencyGraph.Build(model, [1, 1, 8, 8]);
        var stream = graph.GroupProducedBy("stem")!;
        Assert.Equal(["stem", "layer1.conv2", "layer2.conv2"], stream.Producers.Select(p => p.Name));
        Assert.Equal(["layer1.relu (call 2)", "layer2.relu (call 2)"], stream.Members.Where(m => m.Name.EndsWith(".relu", StringComparison.Ordinal)).Select(m => m.Label));
        var inner = graph.GroupProducedBy("layer1.conv1")!;
        Assert.Equal("layer1.conv1 → layer1.bn1 → layer1.relu → layer1.conv2 (16 units)", inner.ToString());
        Assert.Equal(["layer1.conv1", "layer2.conv1", "stem"], graph.Groups.Where(g => g.IsPrunable).Select(g => g.Producers.First().Name).Order());
    }
}
