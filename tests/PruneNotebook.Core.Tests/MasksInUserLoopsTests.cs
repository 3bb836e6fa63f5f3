using System.Text.Json;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Surgery;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PruneNotebook.Core.Tests;

/// <summary>
/// Pruned models trained by code we did not write: plain TorchSharp loops with TorchSharp's optimizers, a hand-written
/// update, models whose forward calls its layers with <c>.forward</c> (TorchSharp's own examples) or <c>.call</c>.
/// </summary>
public class MasksInUserLoopsTests
{
    private static readonly Lazy<JsonElement> Reference = new(() => JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "pytorch-masked-loop.json"))).RootElement);

    /// <summary>A network written the way users write them: fields, one ReLU used twice, layers called either way.</summary>
    private sealed class UserCnn : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv = nn.Conv2d(1, 3, 3);
        private readonly ReLU relu = nn.ReLU();
        private readonly Flatten flatten = nn.Flatten();
        private readonly Linear fc1 = nn.Linear(48, 5);
        private readonly Linear fc2 = nn.Linear(5, 3);
        private readonly bool _layersByForward;

        public UserCnn(bool layersByForward) : base(nameof(UserCnn))
        {
            _layersByForward = layersByForward;
            RegisterComponents();
        }

        public Linear Fc1 => fc1;

        public override Tensor forward(Tensor x) => _layersByForward
            ? fc2.forward(relu.forward(fc1.forward(flatten.forward(relu.forward(conv.forward(x))))))
            : fc2.call(relu.call(fc1.call(flatten.call(relu.call(conv.call(x))))));
    }

    private static Tensor FromJson(JsonElement item) => tensor(
        item.GetProperty("values").EnumerateArray().Select(v => v.GetSingle()).ToArray(),
        item.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray());

    private static UserCnn ReferenceNetwork(bool layersByForward)
    {
        var problem = Reference.Value.GetProperty("problem");
        var model = new UserCnn(layersByForward);
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
                parameter.copy_(FromJson(problem.GetProperty("parameters").GetProperty(name)));
        }
        foreach (var (name, values) in problem.GetProperty("masks").EnumerateObject().Select(p => (p.Name, p.Value)))
        {
            var shape = model.named_parameters().Single(p => p.name == name).parameter.shape;
            Pruner.ApplyMask(model, name, tensor(values.EnumerateArray().Select(v => v.GetSingle()).ToArray()).reshape(shape));
        }
        return model;
    }

    private static optim.Optimizer? Optimizer(UserCnn model, JsonElement config)
    {
        var lr = config.GetProperty("lr").GetDouble();
        var momentum = config.GetProperty("momentum").GetDouble();
        var wd = config.GetProperty("weight_decay").GetDouble();
        return config.GetProperty("optimizer").GetString() switch
        {
            "sgd" => optim.SGD(model.parameters(), lr, momentum: momentum, weight_decay: wd, nesterov: config.GetProperty("nesterov").GetBoolean()),
            "adam" => optim.Adam(model.parameters(), lr, weight_decay: wd),
            "adamw" => optim.AdamW(model.parameters(), lr, weight_decay: wd),
            "rmsprop" => optim.RMSProp(model.parameters(), lr, momentum: momentum, weight_decay: wd),
            "adagrad" => optim.Adagrad(model.parameters(), lr, weight_decay: wd),
            _ => null,
        };
    }

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in new[] { "sgd_momentum_nesterov_weight_decay", "sgd_weight_decay", "adam_weight_decay", "adamw", "rmsprop_momentum", "adagrad", "manual" })
        {
            data.Add(name, false);
            data.Add(name, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_user_loop_trains_a_pruned_network_exactly_as_PyTorch_prune_does(string caseName, bool layersByForward)
    {
        var config = Reference.Value.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == caseName);
        var problem = Reference.Value.GetProperty("problem");
        using var model = ReferenceNetwork(layersByForward);
        using var x = FromJson(problem.GetProperty("x"));
        using var y = tensor(problem.GetProperty("y").EnumerateArray().Select(v => v.GetInt64()).ToArray());
        using var optimizer = Optimizer(model, config);
        var lr = config.GetProperty("lr").GetDouble();
        var expectedLosses = config.GetProperty("losses").EnumerateArray().Select(v => v.GetDouble()).ToArray();

        // The user's loop: nothing of ours in it.
        for (var k = 0; k < expectedLosses.Length; k++)
        {
            using var scope = NewDisposeScope();
            var start = 4 * k % 16;
            if (optimizer is null)
                model.zero_grad();
            else
                optimizer.zero_grad();
            var loss = cross_entropy(model.call(x[start..(start + 4)]), y[start..(start + 4)]);
            loss.backward();
            Assert.Equal(expectedLosses[k], loss.item<float>(), 1e-5 * Math.Max(1, expectedLosses[k]));
            if (optimizer is null)
            {
                using var noGrad = no_grad();
                foreach (var p in model.parameters())
                    p.sub_(p.grad! * lr);
            }
            else
            {
                optimizer.step();
            }
        }

        // What the module computes with after the last step (PruneNotebook's readers apply the masks first, as the next forward would).
        PruningMasks.Apply(model);
        foreach (var (name, parameter) in model.named_parameters())
        {
            var expected = config.GetProperty("after").GetProperty(name).EnumerateArray().Select(v => v.GetSingle()).ToArray();
            var actual = parameter.detach().flatten().data<float>().ToArray();
            for (var i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-5 + 1e-4 * Math.Abs(expected[i]), $"{name}[{i}]: {actual[i]} vs PyTorch {expected[i]}");
            if (PruningMasks.Get(model, name) is { } mask)
                Assert.Equal(0, parameter.detach().masked_select(mask.eq(0)).abs().max().item<float>());
        }
    }

    public static TheoryData<string> Optimizers() => new() { "sgd", "adam", "adamw", "rmsprop", "adagrad", "manual" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Every_forward_of_a_user_loop_sees_exactly_the_pruned_entries_at_zero_and_the_kept_ones_train(string optimizerName)
    {
        manual_seed(0);
        using var model = new LeNet5();
        Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.9), new MagnitudeCriterion(1), PruningScope.Global);
        var masks = PruningMasks.Of(model).ToDictionary(m => m.Name, m => m.Mask.clone());
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var optimizer = optimizerName switch
        {
            "sgd" => optim.SGD(model.parameters(), 0.05, momentum: 0.9, weight_decay: 1e-3, nesterov: true),
            "adam" => optim.Adam(model.parameters(), 1e-2),
            "adamw" => optim.AdamW(model.parameters(), 1e-2, weight_decay: 1e-2),
            "rmsprop" => optim.RMSProp(model.parameters(), 1e-3, momentum: 0.9, weight_decay: 1e-3),
            "adagrad" => optim.Adagrad(model.parameters(), 0.05, weight_decay: 1e-3),
            _ => (optim.Optimizer?)null,
        };
        // A probe the user might add: a forward hook on every pruned layer that checks what the layer computed with.
        var forwards = 0;
        var leaks = new List<string>();
        foreach (var (path, module) in model.named_modules().Where(m => masks.ContainsKey(m.name + ".weight")))
        {
            var mask = masks[path + ".weight"];
            ((nn.Module<Tensor, Tensor>)module).register_forward_hook((m, _, output) =>
            {
                var weight = m.named_parameters(recurse: false).Single(p => p.name == "weight").parameter;
                forwards++;
                if (weight.detach().masked_select(mask.eq(0)).abs().max().item<float>() != 0)
                    leaks.Add(path);
                return output;
            });
        }

        var generator = new Generator(1);
        for (var step = 0; step < 20; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn([32, 1, 28, 28], generator: generator);
            var y = randint(10, [32], generator: generator);
            if (optimizer is null)
                model.zero_grad();
            else
                optimizer.zero_grad();
            cross_entropy(model.call(x), y).backward();
            if (optimizer is null)
            {
                using var noGrad = no_grad();
                foreach (var p in model.parameters())
                    p.sub_(p.grad! * 0.05);
            }
            else
            {
                optimizer.step();
            }
        }

        Assert.Equal(20 * masks.Count, forwards);
        Assert.Empty(leaks);
        var report = SparsityReport.Create(model);
        foreach (var (name, mask) in masks)
        {
            var weight = model.named_parameters().Single(p => p.name == name).parameter.detach();
            Assert.Equal(0, weight.masked_select(mask.eq(0)).abs().max().item<float>());
            Assert.Equal(mask.numel() - mask.count_nonzero().item<long>(), report[name].Zeros);
            Assert.True(weight.masked_select(mask.eq(1)).sub(before[name].masked_select(mask.eq(1))).abs().max().item<float>() > 0, $"{name} did not train");
        }
    }

    [Fact]
    public void The_issues_loop_leaves_LeNet_5_at_exactly_90_percent_zeros()
    {
        manual_seed(0);
        using var model = new LeNet5();
        Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.9), new MagnitudeCriterion(1), PruningScope.Global);
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        var generator = new Generator(4);
        for (var step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            cross_entropy(model.call(randn([64, 1, 28, 28], generator: generator)), randint(10, [64], generator: generator)).backward();
            optimizer.step();
        }
        using (no_grad())
            model.call(zeros(1, 1, 28, 28)).Dispose();

        var weights = Pruner.DefaultTargets(model).Select(n => model.named_parameters().Single(p => p.name == n).parameter).ToList();
        var total = weights.Sum(w => w.numel());
        var zeroCount = weights.Sum(w => w.numel() - w.count_nonzero().item<long>());
        Assert.Equal(Math.Round(0.9 * total), zeroCount);
    }

    /// <summary>A network that uses one Linear twice per forward pass (shared weights), as Siamese and recurrent networks do.</summary>
    private sealed class TwiceLinear : nn.Module<Tensor, Tensor>
    {
        private readonly Linear shared = nn.Linear(8, 8);
        private readonly Tanh tanh = nn.Tanh();
        private readonly Linear head = nn.Linear(8, 2);

        public TwiceLinear() : base(nameof(TwiceLinear)) => RegisterComponents();

        public override Tensor forward(Tensor x) => head.call(tanh.call(shared.call(tanh.call(shared.call(x)))));
    }

    [Fact]
    public void A_pruned_layer_called_twice_in_one_pass_trains_and_two_passes_can_share_one_backward()
    {
        manual_seed(1);
        using var model = new TwiceLinear();
        Pruner.Unstructured(model, ["shared.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1));
        var mask = PruningMasks.Get(model, "shared.weight")!.clone();
        using var optimizer = optim.Adam(model.parameters(), 0.05);
        var generator = new Generator(2);
        for (var step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            // Two passes, one loss (as contrastive losses do): the second pass's masking must not invalidate the first's saved tensors.
            var a = model.call(randn([4, 8], generator: generator));
            var b = model.call(randn([4, 8], generator: generator));
            (a - b).square().mean().backward();
            optimizer.step();
        }
        PruningMasks.Apply(model);
        var weight = model.named_parameters().Single(p => p.name == "shared.weight").parameter.detach();
        Assert.Equal(0, weight.masked_select(mask.eq(0)).abs().max().item<float>());
        Assert.Equal(32, weight.count_nonzero().item<long>());
    }

    [Fact]
    public void A_forward_that_throws_does_not_leave_a_mask_unapplied_for_later_calls()
    {
        manual_seed(2);
        using var model = new UserCnn(layersByForward: false);
        Pruner.Unstructured(model, ["fc1.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1));
        var mask = PruningMasks.Get(model, "fc1.weight")!.clone();
        // The model's hook applies the mask, then the pass fails inside (wrong input width).
        Assert.ThrowsAny<Exception>(() => model.call(zeros(1, 1, 5, 5)));
        using (no_grad())
            model.Fc1.weight.add_(1); // an update outside any forward pass, as an optimizer step is
        using (no_grad())
            model.Fc1.call(zeros(1, 48)).Dispose(); // the layer alone, by its own call
        Assert.Equal(0, model.Fc1.weight.detach().masked_select(mask.eq(0)).abs().max().item<float>());
    }

    [Fact]
    public void Masks_follow_the_model_to_another_dtype_and_hold_in_inference_mode()
    {
        manual_seed(3);
        using var model = new UserCnn(layersByForward: true);
        Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.6), new MagnitudeCriterion(1), PruningScope.Global);
        model.to(ScalarType.Float64);
        using (no_grad())
            model.Fc1.weight.add_(1);
        using (inference_mode())
            model.call(zeros([2, 1, 6, 6], dtype: ScalarType.Float64)).Dispose();
        var mask = PruningMasks.Get(model, "fc1.weight")!;
        Assert.Equal(ScalarType.Float64, model.Fc1.weight.dtype);
        Assert.Equal(0, model.Fc1.weight.detach().masked_select(mask.eq(0)).abs().max().item<double>());
    }

    [Fact]
    public void Make_permanent_takes_the_hooks_off_so_training_may_revive_the_zeros_as_after_PyTorchs_remove()
    {
        manual_seed(4);
        using var model = new UserCnn(layersByForward: false);
        Pruner.Unstructured(model, ["fc1.weight"], PruningAmount.Of(0.5), new MagnitudeCriterion(1));
        PruningMasks.MakePermanent(model);
        using (no_grad())
            model.Fc1.weight.fill_(1);
        using (no_grad())
            model.call(zeros(1, 1, 6, 6)).Dispose();
        Assert.Equal(240, model.Fc1.weight.count_nonzero().item<long>());
    }

    [Fact]
    public void Saving_after_a_user_loop_writes_the_masked_weights_and_loading_restores_them()
    {
        manual_seed(5);
        using var model = new UserCnn(layersByForward: true);
        Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.7), new MagnitudeCriterion(1), PruningScope.Global);
        using (var optimizer = optim.Adam(model.parameters(), 0.05))
        {
            optimizer.zero_grad();
            cross_entropy(model.call(randn(8, 1, 6, 6)), randint(3, [8])).backward();
            optimizer.step(); // the last thing the loop does: pruned entries moved, no forward since
        }
        var path = Path.Combine(Path.GetTempPath(), $"pn-masked-{Guid.NewGuid():N}.bin");
        try
        {
            ModelFile.Save(model, path);
            using var copy = new UserCnn(layersByForward: false);
            ModelFile.Load(copy, path);
            using var stateCopy = new UserCnn(layersByForward: false);
            stateCopy.load_state_dict(model.state_dict());
            foreach (var (name, mask) in PruningMasks.Of(model))
            {
                var original = model.named_parameters().Single(p => p.name == name).parameter.detach();
                var loaded = copy.named_parameters().Single(p => p.name == name).parameter.detach();
                Assert.True(loaded.eq(original).all().item<bool>(), name);
                Assert.Equal(0, loaded.masked_select(mask.eq(0)).abs().max().item<float>());
                Assert.True(PruningMasks.Get(copy, name)!.eq(mask).all().item<bool>());
                Assert.True(stateCopy.named_parameters().Single(p => p.name == name).parameter.detach().eq(original).all().item<bool>());
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Trim_after_a_user_loop_removes_the_filters_that_structured_pruning_zeroed()
    {
        manual_seed(6);
        using var model = new LeNet5();
        Pruner.Structured(model, ["conv1.weight"], PruningAmount.Exactly(3), new MagnitudeCriterion(2), dim: 0);
        using (var optimizer = optim.SGD(model.parameters(), 0.1, momentum: 0.9))
        {
            for (var step = 0; step < 3; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                cross_entropy(model.call(randn(16, 1, 28, 28)), randint(10, [16])).backward();
                optimizer.step();
            }
        }
        using var probe = randn(4, 1, 28, 28);
        model.eval();
        using var expected = model.call(probe).detach();

        var report = NetworkSurgery.Trim(model, [1, 1, 28, 28]);

        Assert.Equal(3, report.Layers.Single(c => c.Name == "conv1").OutputsAfter);
        using var actual = model.call(probe);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5));
    }
}
