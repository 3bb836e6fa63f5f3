using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Optimization.Regularization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>The penalties equal hand-computed values, have the expected gradients, and L1 really sparsifies.</summary>
public class RegularizerTests
{
    /// <summary>w1 = [[1, −2], [0, 3]], w2 = [0.5, −0.5, 0]: Σ|w| = 7, Σw² = 14.5.</summary>
    private static Parameter[] Weights() =>
    [
        new(tensor(new float[] { 1, -2, 0, 3 }, [2, 2])),
        new(tensor(new float[] { 0.5f, -0.5f, 0 })),
    ];

    private static double Value(IRegularizer regularizer, IReadOnlyList<Tensor> parameters)
    {
        using var penalty = regularizer.Penalty(parameters);
        Assert.Equal(0, penalty.dim());
        Assert.True(penalty.requires_grad, "the penalty must carry gradients");
        Assert.Equal(parameters[0].device.ToString(), penalty.device.ToString());
        return penalty.item<float>();
    }

    [Fact]
    public void L1_is_lambda_times_the_sum_of_absolute_values() =>
        Assert.Equal(0.1 * 7, Value(new L1Regularizer(0.1), Weights()), 6);

    [Fact]
    public void L2_is_half_lambda_times_the_sum_of_squares() =>
        Assert.Equal(0.05 * 14.5, Value(new L2Regularizer(0.1), Weights()), 6);

    [Fact]
    public void Elastic_net_mixes_both_in_scikit_learns_form() =>
        Assert.Equal(0.2 * (0.25 * 7 + 0.75 / 2 * 14.5), Value(new ElasticNetRegularizer(0.2, 0.25), Weights()), 6);

    [Fact]
    public void Elastic_net_at_the_ends_of_its_ratio_is_l1_or_l2()
    {
        Assert.Equal(Value(new L1Regularizer(0.3), Weights()), Value(new ElasticNetRegularizer(0.3, 1), Weights()), 6);
        Assert.Equal(Value(new L2Regularizer(0.3), Weights()), Value(new ElasticNetRegularizer(0.3, 0), Weights()), 6);
    }

    [Fact]
    public void Group_lasso_sums_the_norms_of_output_rows_scaled_by_the_root_of_their_size()
    {
        // Rows [1, −2] and [0, 3] (size 2): √2·(√5 + 3); the 1-D parameter's entries are groups of one: 1.
        Assert.Equal(0.1 * (Math.Sqrt(2) * (Math.Sqrt(5) + 3) + 1), Value(new GroupLassoRegularizer(0.1), Weights()), 6);
    }

    [Fact]
    public void Group_lasso_groups_a_convolution_weight_by_filter()
    {
        using var conv = nn.Conv2d(1, 3, 2);
        using (no_grad())
        {
            conv.weight!.zero_();
            conv.weight[0].fill_(1); // ‖filter 0‖ = 2
            conv.weight[2, 0, 0, 0] = tensor(-3f); // ‖filter 2‖ = 3; filter 1 stays zero
        }
        // √4 · (2 + 0 + 3) · 0.5
        Assert.Equal(5, Value(new GroupLassoRegularizer(0.5), [conv.weight!]), 6);
    }

    [Fact]
    public void Gradients_are_lambda_sign_for_l1_and_lambda_w_for_l2_like_weight_decay()
    {
        var weights = Weights();
        using (var l1 = new L1Regularizer(0.1).Penalty(weights))
            l1.backward();
        Assert.Equal(new[] { 0.1f, -0.1f, 0, 0.1f }, weights[0].grad!.data<float>().ToArray());
        Assert.Equal(new[] { 0.1f, -0.1f, 0 }, weights[1].grad!.data<float>().ToArray());

        weights = Weights();
        using (var l2 = new L2Regularizer(0.1).Penalty(weights))
            l2.backward();
        Assert.Equal(new[] { 0.1, -0.2, 0, 0.3 }, weights[0].grad!.data<float>().ToArray().Select(g => Math.Round(g, 6)));
    }

    [Fact]
    public void Group_lasso_gradient_is_finite_on_an_all_zero_row_and_radial_elsewhere()
    {
        var weights = Weights();
        using (var penalty = new GroupLassoRegularizer(1).Penalty([weights[0]]))
            penalty.backward();
        // Row [1, −2]: √2·w/‖w‖ = √2·[1, −2]/√5; row [0, 3]: √2·[0, 1].
        var grad = weights[0].grad!.data<float>().ToArray();
        Assert.Equal(Math.Sqrt(2) / Math.Sqrt(5), grad[0], 5);
        Assert.Equal(-2 * Math.Sqrt(2) / Math.Sqrt(5), grad[1], 5);
        Assert.Equal(0, grad[2], 6);
        Assert.Equal(Math.Sqrt(2), grad[3], 5);

        var zero = new Parameter(zeros(2, 3));
        using (var penalty = new GroupLassoRegularizer(1).Penalty([zero]))
            penalty.backward();
        Assert.All(zero.grad!.data<float>().ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void Bad_strengths_and_empty_selections_are_rejected_with_what_was_expected()
    {
        Assert.Contains("L1 strength λ must be zero or positive, got -1", Assert.Throws<ArgumentException>(() => new L1Regularizer(-1)).Message);
        Assert.Throws<ArgumentException>(() => new L2Regularizer(double.NaN));
        Assert.Throws<ArgumentException>(() => new GroupLassoRegularizer(double.PositiveInfinity));
        Assert.Contains("l1 ratio must be in [0, 1], got 1.5", Assert.Throws<ArgumentException>(() => new ElasticNetRegularizer(0.1, 1.5)).Message);
        Assert.Contains("at least one parameter", Assert.Throws<ArgumentException>(() => new L1Regularizer(0.1).Penalty([])).Message);
        Assert.Throws<ArgumentException>(() => new SumRegularizer([]));
    }

    [Fact]
    public void Descriptions_name_the_penalty_and_its_strength()
    {
        Assert.Equal("l1(1e-05)", new L1Regularizer(1e-5).Describe());
        Assert.Equal("l2(0.0001)", new L2Regularizer(1e-4).Describe());
        Assert.Equal("elastic-net(α=0.01, l1-ratio=0.5)", new ElasticNetRegularizer(0.01).Describe());
        Assert.Equal("l1(0.1)+group-lasso(0.01)", new SumRegularizer([new L1Regularizer(0.1), new GroupLassoRegularizer(0.01)]).Describe());
    }

    /// <summary>
    /// Sparse linear regression: 20 inputs, of which only the first 5 matter. The same model, data, optimizer (full-batch
    /// GD), step count and strength λ, once with L1 and once with L2; counts the weights that end within 1e-3 of zero.
    /// </summary>
    private static (int NoiseZeros, int SignalZeros) TrainAndCountNearZero(IRegularizer regularizer)
    {
        using var generator = new Generator(42);
        using var x = randn(200, 20, generator: generator);
        using var truth = zeros(20, 1);
        truth[TensorIndex.Slice(0, 5)] = tensor(new float[] { 2, -1.5f, 1, -0.5f, 0.8f }).reshape(5, 1);
        using var y = x.matmul(truth).add(randn(200, 1, generator: generator).mul(0.5));
        manual_seed(0);
        using var model = nn.Linear(20, 1);
        var selected = Regularizers.Select(model);
        using var optimizer = OptimizerFactory.Create(model.parameters(), new TrainerOptions(Optimizer: "gd", LearningRate: 1e-3));
        for (var step = 0; step < 5_000; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).add(regularizer.Penalty(selected)).backward();
            optimizer.step();
        }
        var w = model.weight!.detach().flatten().data<float>().ToArray();
        return (w.Skip(5).Count(v => Math.Abs(v) < 1e-3), w.Take(5).Count(v => Math.Abs(v) < 1e-3));
    }

    [Fact]
    public void L1_drives_more_weights_to_zero_than_L2_on_the_same_budget()
    {
        var l1 = TrainAndCountNearZero(new L1Regularizer(0.3));
        var l2 = TrainAndCountNearZero(new L2Regularizer(0.3));
        Assert.True(l1.NoiseZeros >= 12, $"L1 left only {l1.NoiseZeros} of 15 irrelevant weights within 1e-3 of zero");
        Assert.True(l2.NoiseZeros <= 2, $"L2 put {l2.NoiseZeros} of 15 irrelevant weights within 1e-3 of zero");
        Assert.Equal(0, l1.SignalZeros);
        Assert.Equal(0, l2.SignalZeros);
    }
}
