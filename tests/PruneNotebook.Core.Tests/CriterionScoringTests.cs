using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using TorchSharp.Modules;
using TensorDataset = PruneNotebook.Core.Data.TensorDataset;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class CriterionScoringTests
{
    [Fact]
    public void Batch_norm_scale_masks_the_output_units_with_the_smallest_scales()
    {
        manual_seed(0);
        using var vgg = new VggNet();
        var bn1 = (BatchNorm2d)vgg.named_modules().Single(m => m.name == "features.bn1").module;
        using (no_grad())
            bn1.weight.copy_(tensor(new float[] { 5, 0.1f, 7, 0.2f, 9, 10, 11, 0.3f, 12, 13, 14, 15, 0.4f, 16, 17, 18 }));
        Pruner.Structured(vgg, ["features.conv1.weight"], PruningAmount.Exactly(4), new BatchNormScaleCriterion());
        var dead = PruningMasks.Get(vgg, "features.conv1.weight")!.reshape(16, -1).sum(1).eq(0).nonzero().flatten();
        Assert.Equal([1L, 3, 7, 12], dead.data<long>().ToArray());
        Assert.Equal(4, PruningMasks.Get(vgg, "features.conv1.bias")!.eq(0).sum().item<long>()); // the bias follows its units
    }

    [Fact]
    public void APoZ_masks_the_units_that_are_never_active()
    {
        manual_seed(0);
        using var mlp = new LeNet300_100();
        using (no_grad())
        {
            mlp.named_parameters().Single(p => p.name == "fc1.weight").parameter[10..20].zero_();
            mlp.named_parameters().Single(p => p.name == "fc1.bias").parameter[10..20].fill_(-1);
        }
        using var data = new TensorDataset(randn([64, 1, 28, 28], generator: new Generator(3)), randint(10, [64], generator: new Generator(4)));
        Pruner.Structured(mlp, ["fc1.weight"], PruningAmount.Exactly(10), new ApozCriterion(batches: 2, batchSize: 32), data: data);
        var dead = PruningMasks.Get(mlp, "fc1.weight")!.sum(1).eq(0).nonzero().flatten();
        Assert.Equal(Enumerable.Range(10, 10).Select(i => (long)i), dead.data<long>().ToArray());
    }

    [Fact]
    public void A_group_criterion_refuses_what_it_cannot_score_and_prunes_nothing()
    {
        manual_seed(0);
        using var lenet = new LeNet5();
        Assert.StartsWith("The bn criterion scores a layer's output units (dim 0) through what follows them, not dim 1: use dim 0.",
            Assert.Throws<ArgumentException>(() => Pruner.Structured(lenet, ["conv2.weight"], PruningAmount.Of(0.5), new BatchNormScaleCriterion(), dim: 1)).Message);
        Assert.StartsWith("The bn criterion has no score for the units of 'conv1.weight'",
            Assert.Throws<ArgumentException>(() => Pruner.Structured(lenet, ["conv1.weight"], PruningAmount.Of(0.5), new BatchNormScaleCriterion())).Message);
        Assert.StartsWith("The bn criterion scores whole units, not single weights: prune structured (whole units) with it",
            Assert.Throws<ArgumentException>(() => Pruner.Unstructured(lenet, ["conv1.weight"], PruningAmount.Of(0.5), new BatchNormScaleCriterion())).Message);
        Assert.StartsWith("The apoz criterion measures how often each unit is zero after its ReLU on data",
            Assert.Throws<ArgumentException>(() => Pruner.Structured(lenet, ["fc1.weight"], PruningAmount.Of(0.5), new ApozCriterion())).Message);
        Assert.False(PruningMasks.Any(lenet));
    }
}
