using PruneNotebook.Core.Optimization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class OptimizerFactoryTests
{
    /// <summary>Two steps on loss = Σp (gradient 1 everywhere) from p = 1; returns p.</summary>
    private static float AfterTwoUnitGradientSteps(TrainerOptions options)
    {
        using var p = new Parameter(ones(3));
        using var optimizer = OptimizerFactory.Create([p], options);
        for (var i = 0; i < 2; i++)
        {
            optimizer.zero_grad();
            p.sum().backward();
            optimizer.step();
        }
        return p.detach()[0].item<float>();
    }

    [Fact]
    public void Full_batch_gd_is_plain_gradient_descent_whatever_the_momentum_option()
    {
        Assert.Equal(0.8f, AfterTwoUnitGradientSteps(new TrainerOptions(Optimizer: "gd", LearningRate: 0.1, Momentum: 0.9)), 6);
        // sgd with the same options does use the momentum: 1 − 0.1 − 0.1·(0.9 + 1).
        Assert.Equal(0.71f, AfterTwoUnitGradientSteps(new TrainerOptions(Optimizer: "sgd", LearningRate: 0.1, Momentum: 0.9)), 6);
        Assert.True(OptimizerFactory.IsFullBatch(" GD "));
        Assert.False(OptimizerFactory.IsFullBatch("sgd"));
    }

    [Fact]
    public void Every_name_creates_an_optimizer_and_an_unknown_one_lists_them_all()
    {
        foreach (var name in OptimizerFactory.Names)
            Assert.True(AfterTwoUnitGradientSteps(new TrainerOptions(Optimizer: name.ToUpperInvariant(), LearningRate: 0.01)) < 1f, name);
        var error = Assert.Throws<ArgumentException>(() => OptimizerFactory.Validate("lbfgs"));
        Assert.Equal("Unknown optimizer 'lbfgs': expected one of adam, adamw, sgd, rmsprop, adagrad, gd. (Parameter 'name')", error.Message);
    }

    [Fact]
    public void Setting_the_learning_rate_changes_the_next_steps_and_keeps_the_momentum()
    {
        using var p = new Parameter(ones(1));
        using var optimizer = OptimizerFactory.Create([p], new TrainerOptions(Optimizer: "sgd", LearningRate: 0.1, Momentum: 0.5));
        void Step()
        {
            optimizer.zero_grad();
            p.sum().backward();
            optimizer.step();
        }
        Step(); // buffer 1, p = 0.9
        OptimizerFactory.SetLearningRate(optimizer, 0.01);
        Step(); // buffer 0.5 + 1 = 1.5, p = 0.9 − 0.015
        Assert.Equal(0.885f, p.detach().item<float>(), 6);
        Assert.All(optimizer.ParamGroups, g => Assert.Equal(0.01, g.LearningRate));
        Assert.Throws<ArgumentException>(() => OptimizerFactory.SetLearningRate(optimizer, -1));
        Assert.Throws<ArgumentException>(() => OptimizerFactory.SetLearningRate(optimizer, double.NaN));
    }
}
