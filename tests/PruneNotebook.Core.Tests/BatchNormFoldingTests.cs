using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Surgery;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class BatchNormFoldingTests
{
    private static readonly SurgeryMeasurement Quick = new(LatencyBatch: 2, LatencyRepeats: 1);

    [Fact]
    public void Folding_a_vgg_removes_every_batchnorm_and_keeps_the_eval_outputs()
    {
        manual_seed(11);
        using var model = new VggNet([8, 8, 0, 16, 0], inputChannels: 3, imageSize: 16, hidden: 16);
        Trained(model);
        var x = randn(5, 3, 16, 16, generator: new Generator(12));
        var expected = EvalOutput(model, x);

        var report = NetworkSurgery.FoldBatchNorm(model);

        Assert.Equal("fold batchnorm", report.Operation);
        Assert.Equal(["features.bn1", "features.bn2", "features.bn3"], report.Layers.Select(l => l.Name));
        Assert.Equal("BatchNorm2d → folded into features.conv1", report.Layers[0].Type);
        Assert.DoesNotContain(model.modules(), m => m is BatchNorm);
        Assert.All(model.modules().OfType<Conv2d>(), c => Assert.NotNull(c.bias));
        Assert.True(report.After.Macs < report.Before.Macs);
        Assert.Equal(report.Before.Parameters - 2 * (8 + 8 + 16), report.After.Parameters); // γ and β gone; the convolutions had biases
        Assert.True(EvalOutput(model, x).allclose(expected, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Folding_a_resnet_reaches_the_batchnorms_of_every_block_and_shortcut()
    {
        manual_seed(13);
        using var model = new ResNet20(blocksPerStage: 1);
        Trained(model);
        var x = randn(3, 1, 28, 28, generator: new Generator(14));
        var expected = EvalOutput(model, x);
        var norms = model.modules().Count(m => m is BatchNorm);

        var report = NetworkSurgery.FoldBatchNorm(model, measurement: Quick);

        Assert.Equal(norms, report.Layers.Count);
        Assert.DoesNotContain(model.modules(), m => m is BatchNorm);
        Assert.True(EvalOutput(model, x).allclose(expected, rtol: 1e-4, atol: 1e-5));
        Assert.NotEmpty(DependencyGraph.Build(model).Groups); // still traceable, so still compressible
    }

    [Fact]
    public void A_linear_layer_takes_its_batchnorm1d_even_without_a_bias_of_its_own()
    {
        manual_seed(15);
        using var model = nn.Sequential(("fc1", nn.Linear(6, 4, hasBias: false)), ("bn", nn.BatchNorm1d(4)), ("relu", nn.ReLU()), ("fc2", nn.Linear(4, 2)));
        Trained(model);
        var x = randn(7, 6, generator: new Generator(16));
        var expected = EvalOutput(model, x);

        NetworkSurgery.FoldBatchNorm(model, measurement: Quick);

        var fc1 = (Linear)model.named_modules().Single(m => m.name == "fc1").module;
        Assert.NotNull(fc1.bias);
        Assert.IsType<Identity>(model.named_modules().Single(m => m.name == "bn").module);
        Assert.True(EvalOutput(model, x).allclose(expected, rtol: 1e-4, atol: 1e-6));
    }

    [Fact]
    public void Nothing_to_fold_masked_layers_and_other_uses_of_a_layer_output_are_refused_and_the_model_left_as_it_was()
    {
        using var lenet = new LeNet5();
        var error = Assert.Throws<ArgumentException>(() => NetworkSurgery.FoldBatchNorm(lenet, measurement: Quick));
        Assert.Equal("LeNet5 has no BatchNorm directly after a convolution or Linear layer: nothing to fold.", error.Message);

        using var inPlace = nn.Sequential(("conv", nn.Conv2d(1, 2, 3)), ("relu", nn.ReLU(inplace: true)), ("bn", nn.BatchNorm2d(2)));
        error = Assert.Throws<ArgumentException>(() => NetworkSurgery.FoldBatchNorm(inPlace, [1, 1, 6, 6], Quick));
        Assert.StartsWith("Sequential has no BatchNorm directly after", error.Message);

        manual_seed(17);
        using var masked = new VggNet([4, 0], inputChannels: 1, imageSize: 8, hidden: 4);
        Pruner.Unstructured(masked, ["features.conv1.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1));
        var modules = masked.modules().ToList();
        error = Assert.Throws<ArgumentException>(() => NetworkSurgery.FoldBatchNorm(masked, measurement: Quick));
        Assert.StartsWith("'features.conv1' has pruning masks: make them permanent first", error.Message);
        Assert.Equal(modules, masked.modules().ToList());

        manual_seed(18);
        using var reused = new ReusingNet();
        Trained(reused);
        modules = reused.modules().ToList();
        var x = randn(2, 1, 6, 6, generator: new Generator(19));
        var expected = EvalOutput(reused, x);
        error = Assert.Throws<ArgumentException>(() => NetworkSurgery.FoldBatchNorm(reused, [1, 1, 6, 6], Quick));
        Assert.StartsWith("Folding the BatchNorms of ReusingNet would change its outputs", error.Message);
        Assert.Equal(modules, reused.modules().ToList());
        Assert.True(EvalOutput(reused, x).allclose(expected));
    }

    [Fact]
    public void A_layer_and_batchnorm_called_together_twice_fold_once_and_keep_the_eval_outputs()
    {
        manual_seed(21);
        using var model = new CalledTwiceNet(CalledTwiceNet.Wiring.PairTwice);
        Trained(model);
        var x = randn(3, 1, 6, 6, generator: new Generator(22));
        var expected = EvalOutput(model, x);

        var report = NetworkSurgery.FoldBatchNorm(model, [1, 1, 6, 6], Quick);

        Assert.Equal(["bn"], report.Layers.Select(l => l.Name));
        Assert.IsType<Identity>(model.named_modules().Single(m => m.name == "bn").module);
        Assert.True(EvalOutput(model, x).allclose(expected, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void A_batchnorm_shared_by_two_layers_or_a_layer_also_called_without_it_is_not_folded_and_says_why()
    {
        foreach (var (wiring, reason) in new[]
        {
            (CalledTwiceNet.Wiring.NormAfterTwoLayers, "'bn': it is called after 'conv' and 'other', and can fold into one layer only"),
            (CalledTwiceNet.Wiring.LayerAlsoWithoutNorm, "'bn': 'conv' is called 2 times, 1 of them before it"),
        })
        {
            manual_seed(23);
            using var model = new CalledTwiceNet(wiring);
            var modules = model.modules().ToList();
            var error = Assert.Throws<ArgumentException>(() => NetworkSurgery.FoldBatchNorm(model, [1, 1, 6, 6], Quick));
            Assert.Equal($"No BatchNorm of CalledTwiceNet can be folded: {reason}.", error.Message);
            Assert.Equal(modules, model.modules().ToList());
        }
    }

    /// <summary>Running statistics and affine parameters far from their initial values, as after training.</summary>
    private static void Trained(nn.Module model)
    {
        using var noGrad = no_grad();
        var generator = new Generator(20);
        foreach (var norm in model.modules().OfType<BatchNorm>())
        {
            norm.running_mean!.copy_(rand(norm.num_features, generator: generator).mul_(2).sub_(1));
            norm.running_var!.copy_(rand(norm.num_features, generator: generator).mul_(1.5).add_(0.5));
            norm.weight!.copy_(rand(norm.num_features, generator: generator).add_(0.5));
            norm.bias!.copy_(rand(norm.num_features, generator: generator).sub_(0.5));
        }
    }

    private static Tensor EvalOutput(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        var wasTraining = model.training;
        model.eval();
        using var noGrad = no_grad();
        var output = model.call(x);
        model.train(wasTraining);
        return output;
    }

    /// <summary>A 2→2 convolution and a BatchNorm called twice each: as a pair, the norm after two layers, or the layer once without the norm.</summary>
    private sealed class CalledTwiceNet : nn.Module<Tensor, Tensor>
    {
        public enum Wiring { PairTwice, NormAfterTwoLayers, LayerAlsoWithoutNorm }

        private readonly Conv2d stem = nn.Conv2d(1, 2, 3, padding: 1);
        private readonly Conv2d conv = nn.Conv2d(2, 2, 3, padding: 1);
        private readonly Conv2d other = nn.Conv2d(2, 2, 3, padding: 1);
        private readonly nn.Module<Tensor, Tensor> bn = nn.BatchNorm2d(2);
        private readonly ReLU relu = nn.ReLU();
        private readonly Wiring wiring;

        public CalledTwiceNet(Wiring wiring) : base(nameof(CalledTwiceNet))
        {
            this.wiring = wiring;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = relu.call(bn.call(conv.call(relu.call(stem.call(input)))));
            x = wiring switch
            {
                Wiring.PairTwice => relu.call(bn.call(conv.call(x))),
                Wiring.NormAfterTwoLayers => relu.call(bn.call(other.call(x))),
                _ => relu.call(conv.call(x)),
            };
            return x.MoveToOuterDisposeScope();
        }
    }

    /// <summary>Adds a convolution's output to its BatchNorm's output: folding the BatchNorm into it would change that sum.</summary>
    private sealed class ReusingNet : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv = nn.Conv2d(1, 2, 3);
        private readonly nn.Module<Tensor, Tensor> bn = nn.BatchNorm2d(2);

        public ReusingNet() : base(nameof(ReusingNet)) => RegisterComponents();

        public override Tensor forward(Tensor input)
        {
            var features = conv.call(input);
            return bn.call(features).add(features);
        }
    }
}
