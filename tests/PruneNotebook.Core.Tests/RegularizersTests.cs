using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization.Regularization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class RegularizersTests
{
    [Fact]
    public void By_default_every_linear_and_convolution_weight_is_selected_and_no_bias()
    {
        using var model = new LeNet5();
        var selected = Regularizers.Select(model);
        var names = model.named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);
        Assert.Equal(["conv1.weight", "conv2.weight", "fc1.weight", "fc2.weight", "fc3.weight"], selected.Select(p => names[p.Handle]));
    }

    [Fact]
    public void Named_parameters_are_selected_in_the_order_given_once_each()
    {
        using var model = new LeNet300_100();
        var selected = Regularizers.Select(model, ["fc2.bias", " fc1.weight ", "fc2.bias"]);
        var names = model.named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);
        Assert.Equal(["fc2.bias", "fc1.weight"], selected.Select(p => names[p.Handle]));
    }

    [Fact]
    public void An_unknown_name_fails_and_lists_the_models_parameters()
    {
        using var model = new LeNet300_100();
        var error = Assert.Throws<ArgumentException>(() => Regularizers.Select(model, ["fc9.weight"]));
        Assert.Contains("LeNet300_100 has no parameter 'fc9.weight': expected one of fc1.weight, fc1.bias, fc2.weight", error.Message);
        Assert.Contains("No parameter named", Assert.Throws<ArgumentException>(() => Regularizers.Select(model, [])).Message);
    }

    [Fact]
    public void A_model_without_linear_or_convolution_layers_needs_names()
    {
        using var model = nn.Sequential(("norm", nn.BatchNorm1d(4)));
        var error = Assert.Throws<ArgumentException>(() => Regularizers.Select(model));
        Assert.Contains("no Linear or convolution weight to regularize: name the parameters, e.g. norm.weight, norm.bias", error.Message);
        Assert.Single(Regularizers.Select(model, ["norm.weight"]));
    }

    [Fact]
    public void Strengths_map_to_one_penalty_or_none()
    {
        Assert.Null(Regularizers.Create());
        Assert.Equal(new L1Regularizer(1e-5), Regularizers.Create(l1: 1e-5));
        Assert.Equal(new L2Regularizer(1e-4), Regularizers.Create(l2: 1e-4));
        Assert.Equal(new GroupLassoRegularizer(1e-3), Regularizers.Create(groupLasso: 1e-3));
        var both = Assert.IsType<ElasticNetRegularizer>(Regularizers.Create(l1: 0.1, l2: 0.3));
        Assert.Equal(0.4, both.Alpha, 12);
        Assert.Equal(0.25, both.L1Ratio, 12);
        var sum = Assert.IsType<SumRegularizer>(Regularizers.Create(l1: 0.1, groupLasso: 0.2));
        Assert.Equal([new L1Regularizer(0.1), new GroupLassoRegularizer(0.2)], sum.Terms);
        Assert.Throws<ArgumentException>(() => Regularizers.Create(l2: -1));
    }

    [Fact]
    public void L1_and_L2_together_penalize_l1_times_the_absolute_sum_plus_half_l2_times_the_squares()
    {
        Parameter[] weights = [new(tensor(new float[] { 1, -2, 0, 3 }))]; // Σ|w| = 6, Σw² = 14
        using var penalty = Regularizers.Create(l1: 0.1, l2: 0.3)!.Penalty(weights);
        Assert.Equal(0.1 * 6 + 0.3 / 2 * 14, penalty.item<float>(), 5);
        using var sum = Regularizers.Create(l1: 0.1, groupLasso: 0.2)!.Penalty(weights);
        Assert.Equal(0.1 * 6 + 0.2 * 6, sum.item<float>(), 5); // a 1-D parameter's groups are its entries
    }
}
