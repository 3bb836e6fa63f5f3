using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class MaskedTrainingTests
{
    private static TensorDataset RandomData(int n = 256)
    {
        var generator = new Generator(3);
        return new TensorDataset(randn([n, 1, 28, 28], generator: generator), randint(10, [n], generator: generator));
    }

    [Theory]
    [InlineData("sgd", 0.05, 0.9, 1e-3)]
    [InlineData("adam", 1e-2, 0.9, 0.0)]
    [InlineData("adamw", 1e-2, 0.9, 1e-2)]
    [InlineData("rmsprop", 1e-3, 0.9, 1e-3)]
    public void Optimizer_steps_do_not_revive_pruned_weights(string optimizer, double lr, double momentum, double weightDecay)
    {
        manual_seed(0);
        using var model = new LeNet5();
        using var data = RandomData();
        var report = Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.9), new MagnitudeCriterion(1), PruningScope.Global);
        var zerosBefore = report.Parameters.Where(p => p.Masked).ToDictionary(p => p.Name, p => p.Zeros);
        var masks = PruningMasks.Of(model).ToDictionary(m => m.Name, m => m.Mask.clone());
        var weightsBefore = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

        new Trainer(new TrainerOptions(Epochs: 2, BatchSize: 32, LearningRate: lr, Optimizer: optimizer, Momentum: momentum, WeightDecay: weightDecay))
            .Fit(model, data);

        var after = SparsityReport.Create(model);
        foreach (var (name, zeros) in zerosBefore)
        {
            var weight = model.named_parameters().Single(p => p.name == name).parameter;
            // Exactly zero where masked...
            Assert.Equal(0, weight.masked_select(masks[name].eq(0)).abs().max().item<float>());
            Assert.True(after[name].Zeros >= zeros);
            // ...while the kept weights did train.
            Assert.True(weight.masked_select(masks[name].eq(1)).sub(weightsBefore[name].masked_select(masks[name].eq(1))).abs().max().item<float>() > 0);
        }
    }
}
