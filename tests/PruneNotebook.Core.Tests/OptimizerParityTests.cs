using System.Text.Json;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Optimization.Schedules;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PruneNotebook.Core.Tests;

/// <summary>
/// Each optimizer from <see cref="OptimizerFactory"/>, configured through <see cref="TrainerOptions"/>, leaves the same
/// parameters as PyTorch 1.13's after 10 steps on the fixed problem of tests/reference/pytorch_optim_reference.py.
/// </summary>
public class OptimizerParityTests
{
    /// <summary>Largest absolute difference allowed between TorchSharp's and PyTorch's float32 parameters after 10 steps (measured: at most 2.4e-7, RMSprop with momentum).</summary>
    private const double Tolerance = 1e-6;

    private static void AssertParametersEqualPyTorch(string caseName)
    {
        var reference = OptimReference.Optimizer(caseName);
        var problem = OptimReference.Problem;
        using var model = Mlp.From(problem.GetProperty("initial"));
        using var x = Tensor(problem.GetProperty("x"));
        using var y = tensor(OptimReference.Longs(problem.GetProperty("y")));
        var options = new TrainerOptions(
            Optimizer: reference.GetProperty("optimizer").GetString()!,
            LearningRate: reference.GetProperty("lr").GetDouble(),
            Momentum: reference.GetProperty("momentum").GetDouble(),
            WeightDecay: reference.GetProperty("weight_decay").GetDouble(),
            Nesterov: reference.GetProperty("nesterov").GetBoolean(),
            Beta1: reference.GetProperty("beta1").GetDouble(),
            Beta2: reference.GetProperty("beta2").GetDouble());
        ILearningRateSchedule? schedule = reference.TryGetProperty("step_schedule", out var s)
            ? new StepSchedule(s.GetProperty("step_size").GetInt64(), s.GetProperty("gamma").GetDouble(), ScheduleUnit.Step)
            : null;
        var expectedRates = OptimReference.Doubles(reference.GetProperty("rates"));
        var batch = problem.GetProperty("batch_size").GetInt64();
        var rows = x.shape[0];

        using var optimizer = OptimizerFactory.Create(model.parameters(), options);
        for (var k = 0; k < problem.GetProperty("steps").GetInt32(); k++)
        {
            using var scope = NewDisposeScope();
            if (schedule is not null)
                OptimizerFactory.SetLearningRate(optimizer, schedule.RateAt(k, options.LearningRate, ScheduleState.Initial));
            Assert.Equal(expectedRates[k], optimizer.ParamGroups.Single().LearningRate, 12);
            optimizer.zero_grad();
            if (OptimizerFactory.IsFullBatch(options.Optimizer))
            {
                // Full-batch GD as the trainer runs it: gradients of batch means, weighted by batch size, summed over the set.
                for (long start = 0; start < rows; start += batch)
                {
                    var (xb, yb) = (x[TensorIndex.Slice(start, start + batch)], y[TensorIndex.Slice(start, start + batch)]);
                    (cross_entropy(model.call(xb), yb) * ((double)xb.shape[0] / rows)).backward();
                }
            }
            else
            {
                var start = batch * k % rows;
                cross_entropy(model.call(x[TensorIndex.Slice(start, start + batch)]), y[TensorIndex.Slice(start, start + batch)]).backward();
            }
            optimizer.step();
        }

        foreach (var expected in reference.GetProperty("parameters").EnumerateObject())
        {
            var actual = model.named_parameters().Single(p => p.name == expected.Name).parameter.detach().flatten().data<float>().ToArray();
            var values = OptimReference.Doubles(expected.Value.GetProperty("values"));
            Assert.Equal(values.Length, actual.Length);
            var worst = values.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst <= Tolerance, $"{caseName} {expected.Name}: largest difference from PyTorch {worst:E2} exceeds {Tolerance:E0}");
        }
        // The parameters really moved: the comparison is not between two copies of the initial weights.
        var initial = OptimReference.Doubles(problem.GetProperty("initial").GetProperty("fc1.weight").GetProperty("values"));
        var moved = model.named_parameters().Single(p => p.name == "fc1.weight").parameter.detach().flatten().data<float>().ToArray();
        Assert.True(initial.Zip(moved, (a, b) => Math.Abs(a - b)).Max() > 1e-3, $"{caseName}: fc1.weight barely moved");
    }

    private static Tensor Tensor(JsonElement element) =>
        tensor(OptimReference.Doubles(element.GetProperty("values")).Select(v => (float)v).ToArray(), OptimReference.Longs(element.GetProperty("shape")));

    [Theory]
    [InlineData("sgd")]
    [InlineData("sgd_momentum")]
    [InlineData("sgd_nesterov")]
    [InlineData("sgd_weight_decay")]
    [InlineData("gd")]
    [InlineData("adagrad")]
    [InlineData("adagrad_weight_decay")]
    [InlineData("rmsprop")]
    [InlineData("rmsprop_momentum")]
    [InlineData("adam")]
    [InlineData("adam_betas")]
    [InlineData("adam_weight_decay")]
    [InlineData("adamw")]
    public void Parameters_after_ten_steps_match_pytorch(string caseName) => AssertParametersEqualPyTorch(caseName);

    [Fact]
    public void Setting_the_rate_before_each_step_from_a_schedule_matches_a_pytorch_scheduler() =>
        AssertParametersEqualPyTorch("sgd_momentum_step_schedule");

    [Fact]
    public void Every_reference_configuration_is_tested() =>
        Assert.Equal(14, OptimReference.Root.GetProperty("optimizers").GetArrayLength());

    /// <summary>The reference MLP: Linear 4→6, tanh, Linear 6→3.</summary>
    private sealed class Mlp : nn.Module<Tensor, Tensor>
    {
        private readonly Linear fc1 = nn.Linear(4, 6);
        private readonly Linear fc2 = nn.Linear(6, 3);

        private Mlp() : base(nameof(Mlp)) => RegisterComponents();

        public override Tensor forward(Tensor input) => fc2.call(tanh(fc1.call(input)));

        public static Mlp From(JsonElement parameters)
        {
            var model = new Mlp();
            using var noGrad = no_grad();
            foreach (var parameter in parameters.EnumerateObject())
            {
                using var values = Tensor(parameter.Value);
                model.named_parameters().Single(p => p.name == parameter.Name).parameter.copy_(values);
            }
            return model;
        }
    }
}
