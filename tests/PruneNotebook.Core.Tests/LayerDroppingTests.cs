using TensorDataset = PruneNotebook.Core.Data.TensorDataset;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Surgery;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class LayerDroppingTests
{
    [Fact]
    public void Dropping_residual_blocks_removes_those_that_cost_least_accuracy()
    {
        manual_seed(0);
        using var model = new ResNet20();
        using var data = new TensorDataset(randn([64, 1, 28, 28], generator: new Generator(5)), randint(10, [64], generator: new Generator(6)));
        var report = NetworkSurgery.DropLayers(model, data, 2, measurement: new SurgeryMeasurement(data, LatencyBatch: 8, LatencyRepeats: 3));

        // Blocks with an identity shortcut: all of stage 1, blocks 1 and 2 of stages 2 and 3.
        Assert.Equal(["stage1.0", "stage1.1", "stage1.2", "stage2.1", "stage2.2", "stage3.1", "stage3.2"], report.Candidates.Select(c => c.Name).Order());
        Assert.Equal([true, true, false, false, false, false, false], report.Candidates.Select(c => c.Dropped));
        Assert.True(report.Candidates[1].AccuracyWhenBypassed >= report.Candidates[2].AccuracyWhenBypassed);
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        foreach (var dropped in report.Candidates.Where(c => c.Dropped))
            Assert.IsType<Identity>(modules[dropped.Name]);
        Assert.Equal(7 - 2, modules.Values.OfType<BasicBlock>().Count(b => b.HasIdentityShortcut));
        Assert.True(report.After.Macs < report.Before.Macs);
        Assert.Equal(2, model.call(randn(2, 1, 28, 28)).shape[0]);
        Assert.NotNull(report.After.Accuracy);
    }
}
