using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization.Initialization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>Each scheme's samples have the bounds and spread of its formula; application is seeded, selective and checked.</summary>
public class WeightInitTests
{
    private static (double Std, double MaxAbs) Statistics(Tensor weight) =>
        (weight.detach().to_type(ScalarType.Float64).std().item<double>(), weight.detach().abs().max().item<float>());

    private static float[] Values(Tensor t) => t.detach().flatten().data<float>().ToArray();

    [Fact]
    public void Xavier_uniform_stays_within_its_bound_and_fills_it()
    {
        using var layer = nn.Linear(1000, 500);
        WeightInit.Apply(layer, new XavierUniform(), seed: 1);
        var bound = Math.Sqrt(6.0 / 1500);
        var (std, max) = Statistics(layer.weight!);
        Assert.InRange(max, 0.999 * bound, bound);
        Assert.Equal(bound / Math.Sqrt(3), std, bound / Math.Sqrt(3) * 0.01);
    }

    [Fact]
    public void Xavier_normal_is_a_normal_with_the_xavier_deviation_and_the_gain()
    {
        using var layer = nn.Linear(1000, 500);
        WeightInit.Apply(layer, new XavierNormal(Gain: 5.0 / 3), seed: 2);
        var expected = 5.0 / 3 * Math.Sqrt(2.0 / 1500);
        var (std, max) = Statistics(layer.weight!);
        Assert.Equal(expected, std, expected * 0.01);
        // 500 000 normal draws reach beyond 4σ, far past the uniform scheme's √3σ bound.
        Assert.True(max > 4 * expected, $"largest |w| {max} is not normal-tailed for σ = {expected}");
    }

    [Fact]
    public void Kaiming_normal_uses_fan_in_or_fan_out_of_a_convolution()
    {
        using var conv = nn.Conv2d(64, 128, 3);
        WeightInit.Apply(conv, new KaimingNormal(), seed: 3);
        Assert.Equal(Math.Sqrt(2.0 / (64 * 9)), Statistics(conv.weight!).Std, Math.Sqrt(2.0 / (64 * 9)) * 0.02);
        WeightInit.Apply(conv, new KaimingNormal(FanMode.FanOut), seed: 3);
        Assert.Equal(Math.Sqrt(2.0 / (128 * 9)), Statistics(conv.weight!).Std, Math.Sqrt(2.0 / (128 * 9)) * 0.02);
    }

    [Fact]
    public void Kaiming_uniform_for_a_leaky_relu_has_the_gain_of_its_slope()
    {
        using var layer = nn.Linear(800, 400);
        WeightInit.Apply(layer, new KaimingUniform(Nonlinearity: Nonlinearity.LeakyReLU, NegativeSlope: 0.2), seed: 4);
        var bound = Math.Sqrt(3) * Math.Sqrt(2 / (1 + 0.2 * 0.2)) / Math.Sqrt(800);
        var (std, max) = Statistics(layer.weight!);
        Assert.InRange(max, 0.999 * bound, bound);
        Assert.Equal(bound / Math.Sqrt(3), std, bound / Math.Sqrt(3) * 0.01);
        WeightInit.Apply(layer, new KaimingUniform(Nonlinearity: Nonlinearity.Linear), seed: 4);
        Assert.InRange(Statistics(layer.weight!).MaxAbs, 0.999 * Math.Sqrt(3.0 / 800), Math.Sqrt(3.0 / 800));
    }

    [Fact]
    public void Orthogonal_weights_have_orthonormal_rows_or_columns_scaled_by_the_gain()
    {
        using var wide = nn.Linear(64, 32);   // weight (32, 64): rows orthonormal
        using var tall = nn.Linear(32, 64);   // weight (64, 32): columns orthonormal
        using var conv = nn.Conv2d(8, 16, 3); // viewed as (16, 72)
        WeightInit.Apply(wide, new Orthogonal(), seed: 5);
        WeightInit.Apply(tall, new Orthogonal(Gain: 2), seed: 5);
        WeightInit.Apply(conv, new Orthogonal(), seed: 5);
        using var w = wide.weight!.detach();
        using var t = tall.weight!.detach();
        using var c = conv.weight!.detach().reshape(16, 72);
        Assert.True(w.matmul(w.t()).allclose(eye(32), atol: 1e-5), "W·Wᵀ is not I");
        Assert.True(t.t().matmul(t).allclose(eye(32).mul(4), atol: 1e-4), "WᵀW is not 4I for gain 2");
        Assert.True(c.matmul(c.t()).allclose(eye(16), atol: 1e-5), "a conv weight's filters are not orthonormal");
    }

    [Fact]
    public void Zeros_and_constant_fill_every_weight()
    {
        using var layer = nn.Linear(3, 2);
        WeightInit.Apply(layer, new Constant(0.25));
        Assert.All(Values(layer.weight!), v => Assert.Equal(0.25f, v));
        WeightInit.Apply(layer, new Zeros());
        Assert.All(Values(layer.weight!), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights_and_the_global_generator_is_untouched()
    {
        float[] Init(long seed)
        {
            using var model = new LeNet300_100();
            WeightInit.Apply(model, new KaimingUniform(), seed: seed);
            return model.parameters().SelectMany(Values).ToArray();
        }
        Assert.Equal(Init(7), Init(7));
        Assert.NotEqual(Init(7), Init(8));

        using var layer = nn.Linear(10, 10);
        manual_seed(3);
        var expected = Values(rand(5));
        manual_seed(3);
        WeightInit.Apply(layer, new XavierNormal(), seed: 1);
        Assert.Equal(expected, Values(rand(5)));
    }

    [Fact]
    public void Layers_are_chosen_by_type_or_name_and_their_biases_zeroed_unless_kept()
    {
        using var model = new LeNet5();
        var before = model.named_parameters().ToDictionary(p => p.name, p => Values(p.parameter));
        var written = WeightInit.Apply(model, new Constant(0.5), ["conv2d", "fc3"]);
        Assert.Equal(["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc3.weight", "fc3.bias"], written);
        Assert.All(Values(model.named_parameters().Single(p => p.name == "conv2.bias").parameter), v => Assert.Equal(0f, v));
        Assert.Equal(before["fc1.weight"], Values(model.named_parameters().Single(p => p.name == "fc1.weight").parameter));

        var kept = WeightInit.Apply(model, new Constant(0.5), ["fc1"], zeroBiases: false);
        Assert.Equal(["fc1.weight"], kept);
        Assert.Equal(before["fc1.bias"], Values(model.named_parameters().Single(p => p.name == "fc1.bias").parameter));
    }

    [Fact]
    public void An_unknown_layer_fails_listing_the_layers_and_types_and_changes_nothing()
    {
        using var model = new LeNet5();
        var before = model.parameters().SelectMany(Values).ToArray();
        var error = Assert.Throws<ArgumentException>(() => WeightInit.Apply(model, new XavierUniform(), ["conv1", "fc9"]));
        Assert.Equal(
            "LeNet5 has no layer or layer type 'fc9' with a weight: expected a layer (conv1, conv2, fc1, fc2, fc3) or a layer type (Conv2d, Linear). (Parameter 'layers')",
            error.Message);
        Assert.Equal(before, model.parameters().SelectMany(Values).ToArray());
    }

    [Fact]
    public void A_one_dimensional_weight_is_rejected_by_fan_based_schemes_before_anything_changes()
    {
        using var model = nn.Sequential(("fc", nn.Linear(4, 4)), ("norm", nn.BatchNorm1d(4)));
        var before = model.parameters().SelectMany(Values).ToArray();
        var error = Assert.Throws<ArgumentException>(() => WeightInit.Apply(model, new KaimingNormal(), ["fc", "norm"]));
        Assert.Contains("kaiming-normal(fan-in, relu) needs a weight of at least 2 dimensions, but 'norm.weight' has shape [4]", error.Message);
        Assert.Equal(before, model.parameters().SelectMany(Values).ToArray());
        Assert.Equal(["norm.weight", "norm.bias"], WeightInit.Apply(model, new Constant(1), ["BatchNorm1d"]));
    }

    [Fact]
    public void Pruned_weights_stay_zero_after_reinitialization()
    {
        using var model = new LeNet300_100();
        Pruner.Unstructured(model, ["fc1.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1));
        using var mask = PruningMasks.Get(model, "fc1.weight")!.clone();
        WeightInit.Apply(model, new XavierNormal(), seed: 9);
        var weight = model.named_parameters().Single(p => p.name == "fc1.weight").parameter;
        Assert.Equal(0, weight.masked_select(mask.eq(0)).abs().sum().item<float>());
        Assert.True(weight.masked_select(mask.ne(0)).abs().min().item<float>() > 0, "the kept weights were not redrawn");
    }

    [Fact]
    public void Schemes_parse_from_text_with_defaults_for_missing_arguments()
    {
        Assert.Equal(new XavierUniform(), WeightInit.Parse("xavier-uniform"));
        Assert.Equal(new XavierNormal(1.41), WeightInit.Parse("Xavier_Normal(1.41)"));
        Assert.Equal(new KaimingNormal(), WeightInit.Parse("kaiming-normal"));
        Assert.Equal(new KaimingUniform(FanMode.FanOut, Nonlinearity.LeakyReLU, 0.2), WeightInit.Parse("kaiming-uniform(fan-out, leaky-relu, 0.2)"));
        Assert.Equal(new Orthogonal(2), WeightInit.Parse("orthogonal(2)"));
        Assert.Equal(new Zeros(), WeightInit.Parse("zeros"));
        Assert.Equal(new Constant(0.1), WeightInit.Parse("constant(0.1)"));
        Assert.Contains("Unknown initialization scheme 'lecun'", Assert.Throws<ArgumentException>(() => WeightInit.Parse("lecun")).Message);
        Assert.Contains("mode must be fan-in or fan-out, got 'fan-sideways'", Assert.Throws<ArgumentException>(() => WeightInit.Parse("kaiming-normal(fan-sideways)")).Message);
        Assert.Contains("exactly one argument", Assert.Throws<ArgumentException>(() => WeightInit.Parse("constant")).Message);
        Assert.Contains("gain must be a positive number, got -1", Assert.Throws<ArgumentException>(() => WeightInit.Parse("orthogonal(-1)")).Message);
    }
}
