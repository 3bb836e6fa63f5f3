using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using PruneNotebook.Core.Pruning;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;
using TensorDataset = PruneNotebook.Core.Data.TensorDataset;

namespace PruneNotebook.Interactive.Tests;

/// <summary>
/// Wanda, SparseGPT and N:M through <c>#!prune</c> on models a user writes, outside the zoo: a Linear called twice, a
/// Sequential inside a custom module, a parameter that belongs to no Linear. The masks are compared with a reference
/// computed here from the definitions (Wanda: |W_ij|·‖X_j‖₂ over every input the layer sees, both calls of a shared
/// layer included, half of every row pruned; N:M: the two largest scores of every four inputs kept); SparseGPT must
/// prune exactly half of every layer and reconstruct the outputs better than magnitude pruning at the same sparsity.
/// What cannot be pruned is refused in one line with the model unchanged.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class UserModelPruningTests : KernelTestBase
{
    /// <summary>input 8→16, then one shared 16→16 Linear applied twice, then 16→4.</summary>
    public sealed class SharedTwice : nn.Module<Tensor, Tensor>
    {
        public readonly Linear input = nn.Linear(8, 16), shared = nn.Linear(16, 16), output = nn.Linear(16, 4);

        public SharedTwice() : base(nameof(SharedTwice)) => RegisterComponents();

        public override Tensor forward(Tensor x) => output.call(relu(shared.call(relu(shared.call(relu(input.call(x)))))));

        /// <summary>Every input each layer sees, rows stacked (the shared layer's two calls together).</summary>
        public Dictionary<string, Tensor> Inputs(Tensor x)
        {
            using var noGrad = no_grad();
            var h0 = relu(input.call(x));
            var h1 = relu(shared.call(h0));
            return new() { ["input"] = x, ["shared"] = cat([h0, h1]), ["output"] = relu(shared.call(h1)) };
        }
    }

    /// <summary>A Sequential body inside a custom module, then a head.</summary>
    public sealed class Wrapped : nn.Module<Tensor, Tensor>
    {
        public readonly Sequential body = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU());
        public readonly Linear head = nn.Linear(16, 4);

        public Wrapped() : base(nameof(Wrapped)) => RegisterComponents();

        public override Tensor forward(Tensor x) => head.call(body.call(x));

        public Dictionary<string, Tensor> Inputs(Tensor x)
        {
            using var noGrad = no_grad();
            var first = (Linear)body[0];
            var second = (Linear)body[2];
            var h0 = relu(first.call(x));
            return new() { ["body.0"] = x, ["body.2"] = h0, ["head"] = relu(second.call(h0)) };
        }
    }

    /// <summary>A Linear, then a learned per-unit scale and a raw weight used through the functional form: parameters of no Linear.</summary>
    public sealed class Scaled : nn.Module<Tensor, Tensor>
    {
        public readonly Linear a = nn.Linear(8, 16);
        public readonly Parameter scale = nn.Parameter(rand(16) + 0.5);
        public readonly Parameter raw = nn.Parameter(randn(4, 16) * 0.25);

        public Scaled() : base(nameof(Scaled)) => RegisterComponents();

        public override Tensor forward(Tensor x) => linear(relu(a.call(x)) * scale, raw);

        public Dictionary<string, Tensor> Inputs(Tensor x) => new() { ["a"] = x };
    }

    private static readonly Dictionary<string, Func<nn.Module<Tensor, Tensor>>> Models = new()
    {
        ["shared"] = () => new SharedTwice(),
        ["wrapped"] = () => new Wrapped(),
        ["scaled"] = () => new Scaled(),
    };

    private static Dictionary<string, Tensor> InputsOf(nn.Module<Tensor, Tensor> model, Tensor x) => model switch
    {
        SharedTwice s => s.Inputs(x),
        Wrapped w => w.Inputs(x),
        Scaled c => c.Inputs(x),
        _ => throw new ArgumentException(model.GetType().Name),
    };

    /// <summary>What a row expects: the reference masks of a criterion, SparseGPT's half, or a refusal.</summary>
    public enum Expect { Wanda, NmMagnitude, NmWanda, SparseGpt, Refused }

    /// <summary>(model, the options after <c>#!prune m</c>, what it must give, a fragment of the refusal).</summary>
    public static readonly (string Model, string Options, Expect Expect, string? Says)[] Matrix =
    [
        ("shared", "--amount 0.5 --criterion wanda --data calib", Expect.Wanda, null),
        ("wrapped", "--amount 0.5 --criterion wanda --data calib", Expect.Wanda, null),
        ("scaled", "--amount 0.5 --criterion wanda --data calib", Expect.Wanda, null),
        ("shared", "--n-m 2:4", Expect.NmMagnitude, null),
        ("wrapped", "--n-m 2:4", Expect.NmMagnitude, null),
        ("scaled", "--n-m 2:4", Expect.NmMagnitude, null),
        ("shared", "--n-m 2:4 --criterion wanda --calibration calib", Expect.NmWanda, null),
        ("wrapped", "--n-m 2:4 --criterion wanda --data calib", Expect.NmWanda, null),
        ("shared", "--amount 0.5 --criterion sparsegpt --data calib", Expect.SparseGpt, null),
        ("wrapped", "--amount 0.5 --criterion sparsegpt --data calib", Expect.SparseGpt, null),
        ("scaled", "--amount 0.5 --criterion sparsegpt --data calib", Expect.SparseGpt, null),
        // The parameters of no Linear layer: refused in one line.
        ("scaled", "--amount 0.5 --criterion wanda --data calib --layers raw", Expect.Refused, "raw"),
        ("scaled", "--n-m 2:4 --layers scale", Expect.Refused, "scale"),
        ("shared", "--amount 0.5 --criterion sparsegpt --data wide", Expect.Refused, "does not fit"),
    ];

    /// <summary>Around TorchSharp's native nn.TransformerEncoderLayer, whose inner layers are no modules.</summary>
    public sealed class NativeEncoder : nn.Module<Tensor, Tensor>
    {
        public readonly Linear embed = nn.Linear(8, 16), head = nn.Linear(16, 4);
        public readonly TransformerEncoderLayer encoder = nn.TransformerEncoderLayer(16, 2, 32, 0.0);

        public NativeEncoder() : base(nameof(NativeEncoder)) => RegisterComponents();

        public override Tensor forward(Tensor x) => head.call(encoder.call(embed.call(x)).mean([1]));
    }

    [Fact]
    public async Task A_native_encoder_layer_left_dense_by_prune_is_named_and_naming_its_inner_layer_is_refused()
    {
        manual_seed(5);
        var model = new NativeEncoder();
        await CSharp.SetValueAsync("native", model, typeof(object));
        var result = await Kernel.SendAsync(new SubmitCode("#!prune native --amount 0.5"));
        Assert.Empty(result.Events.OfType<CommandFailed>());
        var note = Assert.Single(result.Events.OfType<DisplayedValueProduced>().SelectMany(d => d.FormattedValues), v => v.MimeType == "text/plain").Value;
        Assert.Equal(Pruner.NativeLayersNote(model), note);
        Assert.StartsWith("Left dense: 'encoder' (TransformerEncoderLayer)", note);
        Assert.Equal(["embed.weight", "head.weight"], PruningMasks.Of(model).Select(m => m.Name).Order());

        PruningMasks.Reset(model);
        var refused = await FailureMessage("#!prune native --amount 0.5 --layers encoder.linear1");
        Assert.Contains("layer 'encoder.linear1' lies inside 'encoder', a TransformerEncoderLayer", refused);
        Assert.False(PruningMasks.Any(model));
    }

    [Fact]
    public async Task Wanda_sparsegpt_and_n_m_prune_user_written_models_as_the_reference_says_or_refuse_in_one_line()
    {
        var generator = new Generator(11);
        using var x = randn([64, 8], generator: generator);
        await CSharp.SetValueAsync("calib", new TensorDataset(x.clone(), randint(4, [64], generator: generator)), typeof(TensorDataset));
        await CSharp.SetValueAsync("wide", new TensorDataset(randn([64, 9], generator: generator), randint(4, [64], generator: generator)), typeof(TensorDataset));
        var problems = new List<string>();
        var row = 0;
        foreach (var (name, options, expect, says) in Matrix)
        {
            var label = $"{name} {options}";
            // Three models with the same weights: the one the magic prunes, a dense reference and a magnitude-pruned one.
            var seed = 300 + row++;
            manual_seed(seed);
            var model = Models[name]();
            manual_seed(seed);
            using var dense = Models[name]();
            await CSharp.SetValueAsync("user", model, typeof(object));
            var before = model.state_dict().ToDictionary(e => e.Key, e => e.Value.clone());
            var result = await Kernel.SendAsync(new SubmitCode($"#!prune user {options}"));
            var failure = result.Events.OfType<CommandFailed>().SingleOrDefault();
            if (expect == Expect.Refused)
            {
                if (failure is null)
                    problems.Add($"{label}: expected a refusal, it ran");
                else if (failure.Message.Trim().Contains('\n') || failure.Message.Contains("a bug rather than") || !failure.Message.Contains(says!, StringComparison.Ordinal))
                    problems.Add($"{label}: expected one line with '{says}', got: {failure.Message}");
                if (PruningMasks.Any(model) || model.state_dict().Any(e => !e.Value.eq(before[e.Key]).all().item<bool>()))
                    problems.Add($"{label}: the refusal changed the model");
            }
            else if (failure is not null)
                problems.Add($"{label}: failed: {failure.Message}");
            else
                problems.AddRange(Check(label, expect, model, dense, x));
            foreach (var t in before.Values)
                t.Dispose();
            var next = await Kernel.SendAsync(new SubmitCode("1 + 1"));
            if (next.Events.OfType<CommandFailed>().Any())
                problems.Add($"{label}: the kernel did not answer the next cell");
        }
        Assert.True(problems.Count == 0, $"{problems.Count} problems in {Matrix.Length} rows:\n" + string.Join("\n", problems));
    }

    private static IEnumerable<string> Check(string label, Expect expect, nn.Module<Tensor, Tensor> model, nn.Module<Tensor, Tensor> dense, Tensor x)
    {
        var inputs = InputsOf(dense, x);
        var layers = dense.named_modules().Where(m => m.module is Linear).ToDictionary(m => m.name, m => (Linear)m.module);
        var masks = PruningMasks.Of(model).ToDictionary(m => m.Name, m => m.Mask);
        var expected = layers.Keys.Select(l => l + ".weight").Order().ToList();
        if (!masks.Keys.Order().SequenceEqual(expected))
            yield return $"{label}: masks on {string.Join(", ", masks.Keys.Order())}, expected {string.Join(", ", expected)}";
        foreach (var (layer, linear) in layers)
        {
            if (!masks.TryGetValue(layer + ".weight", out var mask))
                continue;
            using var scope = NewDisposeScope();
            var weight = linear.weight!.detach();
            var wanda = weight.abs() * inputs[layer].pow(2).sum(dim: 0).sqrt().unsqueeze(0);
            Tensor? reference = expect switch
            {
                // Half of every row: the in/2 lowest scores go.
                Expect.Wanda => ones_like(wanda).scatter_(1, wanda.topk((int)(weight.shape[1] / 2), dim: 1, largest: false).indexes, zeros_like(wanda)),
                Expect.NmMagnitude => KeepTwoOfFour(weight.abs()),
                Expect.NmWanda => KeepTwoOfFour(wanda),
                _ => null,
            };
            if (reference is not null && !mask.to_type(ScalarType.Float32).eq(reference).all().item<bool>())
                yield return $"{label}: the mask of {layer}.weight differs from the reference in {mask.to_type(ScalarType.Float32).ne(reference).sum().item<long>()} entries";
            var modelWeight = model.named_parameters().Single(p => p.name == layer + ".weight").parameter;
            if (expect == Expect.SparseGpt && modelWeight.eq(0).sum().item<long>() != modelWeight.numel() / 2)
                yield return $"{label}: {modelWeight.eq(0).sum().item<long>()} of {layer}'s {modelWeight.numel()} weights are zero, expected half";
        }
        if (expect == Expect.SparseGpt)
        {
            // Magnitude pruning of each layer to the same half, on the dense copy: SparseGPT's outputs must be closer to the dense ones.
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            dense.eval();
            model.eval();
            var target = dense.call(x);
            var sparseGpt = model.call(x).sub(target).norm().item<float>();
            foreach (var linear in layers.Values)
            {
                var w = linear.weight!;
                var cut = w.abs().flatten().kthvalue(w.numel() / 2, 0).values;
                w.mul_(w.abs().gt(cut));
            }
            var magnitude = dense.call(x).sub(target).norm().item<float>();
            if (!(sparseGpt < magnitude))
                yield return $"{label}: SparseGPT's output error {sparseGpt} is not below magnitude pruning's {magnitude}";
        }
    }

    /// <summary>The keep mask of 2:4 along each row: the two largest scores of every four consecutive inputs.</summary>
    private static Tensor KeepTwoOfFour(Tensor scores)
    {
        var groups = scores.reshape(-1, 4);
        return zeros_like(groups).scatter_(1, groups.topk(2, dim: 1).indexes, ones_like(groups)).reshape(scores.shape);
    }
}
