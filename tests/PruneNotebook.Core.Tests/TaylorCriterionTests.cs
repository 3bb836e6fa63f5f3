using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PruneNotebook.Core.Tests;

public class TaylorCriterionTests
{
    private static (TorchSharp.Modules.Sequential Model, TensorDataset Data) Problem()
    {
        manual_seed(1);
        var model = nn.Sequential(("fc1", nn.Linear(6, 5)), ("relu", nn.ReLU()), ("fc2", nn.Linear(5, 3)));
        var generator = new Generator(4);
        return (model, new TensorDataset(randn([8, 6], generator: generator), randint(3, [8], generator: generator)));
    }

    /// <summary>w·∂L/∂w of <paramref name="name"/> for each batch of 4, computed here with autograd.</summary>
    private static List<Tensor> Changes(nn.Module<Tensor, Tensor> model, TensorDataset data, string name)
    {
        var weight = model.named_parameters().Single(p => p.name == name).parameter;
        var changes = new List<Tensor>();
        foreach (var (x, y) in data.Batches(4))
        {
            model.zero_grad();
            cross_entropy(model.call(x), y).backward();
            changes.Add((weight.detach() * weight.grad!).clone());
        }
        model.zero_grad();
        return changes;
    }

    [Fact]
    public void An_entry_scores_its_squared_first_order_change_summed_over_batches()
    {
        var (model, data) = Problem();
        using var context = new ScoringContext(model, data);
        var weight = model.named_parameters().Single(p => p.name == "fc1.weight").parameter;
        var expected = Changes(model, data, "fc1.weight").Select(c => c.pow(2)).Aggregate((a, b) => a + b);
        var scores = new TaylorCriterion(batches: 2, batchSize: 4).ScoreEntries(weight, "fc1.weight", context);
        Assert.True(scores.allclose(expected, rtol: 1e-5, atol: 1e-9));
        Assert.All(model.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
    }

    [Fact]
    public void A_unit_scores_the_square_of_its_slices_summed_change_along_either_dimension()
    {
        var (model, data) = Problem();
        using var context = new ScoringContext(model, data);
        var weight = model.named_parameters().Single(p => p.name == "fc2.weight").parameter;
        var changes = Changes(model, data, "fc2.weight");
        foreach (var dim in new[] { 0, 1 })
        {
            var expected = changes.Select(c => c.sum(1 - dim).pow(2)).Aggregate((a, b) => a + b);
            var scores = new TaylorCriterion(batches: 2, batchSize: 4).ScoreUnits(weight, "fc2.weight", dim, context);
            Assert.True(scores.allclose(expected, rtol: 1e-5, atol: 1e-9), $"dim {dim}");
        }
    }

    [Fact]
    public void Structured_Taylor_masks_prune_the_units_whose_removal_changes_the_loss_least()
    {
        var (model, data) = Problem();
        var expected = Changes(model, data, "fc1.weight").Select(c => c.sum(1).pow(2)).Aggregate((a, b) => a + b).argsort()[..2];
        Pruner.Structured(model, ["fc1.weight"], PruningAmount.Exactly(2), new TaylorCriterion(batches: 2, batchSize: 4), data: data);
        var dead = PruningMasks.Get(model, "fc1.weight")!.sum(1).eq(0).nonzero().flatten();
        Assert.Equal(expected.sort().Values.data<long>().ToArray(), dead.data<long>().ToArray());
    }

    [Fact]
    public void Without_data_it_is_refused_and_nothing_is_pruned()
    {
        using var model = new LeNet300_100();
        var error = Assert.Throws<ArgumentException>(() => Pruner.Unstructured(model, ["fc1.weight"], PruningAmount.Of(0.5), new TaylorCriterion()));
        Assert.Equal("The taylor criterion measures gradients of the loss on data: pass data (--data <dataset>) to prune with it.", error.Message);
        Assert.False(PruningMasks.Any(model));
    }
}
