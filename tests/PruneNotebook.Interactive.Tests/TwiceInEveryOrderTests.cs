using System.Security.Cryptography;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Interactive.Tests;

/// <summary>
/// Pruning, trimming and compressing one model twice, in every order, through the kernel. Each row is two magics on a
/// fresh LeNet-5 and the state they must leave: the width of conv1, conv2, fc1 and fc2 (the parameter count follows from
/// them), how many of conv1's filters are zero and how many of fc1's weights. Every mask must have its weight's shape and
/// hold its weight's zeros; every trim must keep the network's outputs; a step with nothing to do changes nothing, bit for
/// bit; the kernel answers the next cell.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class TwiceInEveryOrderTests : KernelTestBase
{
    /// <summary>The four operations: unstructured pruning of fc1, structured pruning of conv1, trim, compress.</summary>
    private static readonly Dictionary<string, string> Steps = new()
    {
        ["prune"] = "#!prune twice --amount 0.5 --layers fc1",
        ["prune-units"] = "#!prune twice --amount 2 --structured --layers conv1",
        ["trim"] = "#!trim twice",
        ["compress"] = "#!compress twice --amount 0.5",
    };

    /// <summary>(first, second, widths of conv1, conv2, fc1, fc2 afterwards, zero filters of conv1, zero weights of fc1).</summary>
    public static readonly (string First, string Second, int[] Widths, int ZeroFilters, int ZeroWeights)[] Matrix =
    [
        // fc1 is 120×400: half of its 48000 weights, then half of the 24000 left (PyTorch: the amount is of what remains).
        ("prune", "prune", [6, 16, 120, 84], 0, 36000),
        ("prune", "prune-units", [6, 16, 120, 84], 2, 24000),
        // Unstructured pruning leaves no dead unit: trim finds nothing and changes nothing.
        ("prune", "trim", [6, 16, 120, 84], 0, 24000),
        // Compress halves every hidden group (6→3, 16→8, 120→60, 84→42) and slices fc1's mask with it (ZeroWeights -1: checked by the mask).
        ("prune", "compress", [3, 8, 60, 42], -1, -1),
        ("prune-units", "prune", [6, 16, 120, 84], 2, 24000),
        // Two of the four filters still unpruned: four of six are zero.
        ("prune-units", "prune-units", [6, 16, 120, 84], 4, 0),
        ("prune-units", "trim", [4, 16, 120, 84], 0, 0),
        ("prune-units", "compress", [3, 8, 60, 42], -1, 0),
        ("trim", "prune", [6, 16, 120, 84], 0, 24000),
        ("trim", "prune-units", [6, 16, 120, 84], 2, 0),
        ("trim", "trim", [6, 16, 120, 84], 0, 0),
        ("trim", "compress", [3, 8, 60, 42], 0, 0),
        // fc1 is now 60×200: half of 12000.
        ("compress", "prune", [3, 8, 60, 42], 0, 6000),
        ("compress", "prune-units", [3, 8, 60, 42], 2, 0),
        ("compress", "trim", [3, 8, 60, 42], 0, 0),
        // Half of 3 rounds to 2 (half to even): 3→1, 8→4, 60→30, 42→21.
        ("compress", "compress", [1, 4, 30, 21], 0, 0),
    ];

    [Fact]
    public async Task Pruning_trimming_and_compressing_twice_in_every_order_gives_the_right_model()
    {
        using var input = randn([8, 1, 28, 28], generator: new Generator(7));
        var problems = new List<string>();
        var row = 0;
        foreach (var (first, second, widths, zeroFilters, zeroWeights) in Matrix)
        {
            var name = $"{first} → {second}";
            manual_seed(100 + row++);
            var previous = CSharp.TryGetValue<LeNet5>("twice", out var old) ? old : null;
            await CSharp.SetValueAsync("twice", new LeNet5(), typeof(LeNet5));
            previous?.Dispose();
            foreach (var step in new[] { first, second })
            {
                var model = Variable<LeNet5>("twice");
                var before = Hashes(model);
                using var outputBefore = Outputs(model, input);
                var result = await Kernel.SendAsync(new SubmitCode(Steps[step]));
                if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
                {
                    problems.Add($"{name}: '{Steps[step]}' failed: {failed.Message}");
                    break;
                }
                model = Variable<LeNet5>("twice");
                if (step == "trim")
                {
                    using var outputAfter = Outputs(model, input);
                    if (!outputAfter.allclose(outputBefore, rtol: 1e-4, atol: 1e-5))
                        problems.Add($"{name}: '{Steps[step]}' changed the outputs");
                    if (Widths(model).SequenceEqual(before.Widths) && !Hashes(model).All.SequenceEqual(before.All))
                        problems.Add($"{name}: '{Steps[step]}' removed nothing but changed the model");
                }
            }
            var pruned = Variable<LeNet5>("twice");
            var layers = Layers(pruned);
            var actual = new[] { (int)((Conv2d)layers["conv1"]).out_channels, (int)((Conv2d)layers["conv2"]).out_channels,
                (int)((Linear)layers["fc1"]).out_features, (int)((Linear)layers["fc2"]).out_features };
            if (!actual.SequenceEqual(widths))
                problems.Add($"{name}: widths {string.Join(",", actual)}, expected {string.Join(",", widths)}");
            var parameters = pruned.parameters().Sum(p => p.numel());
            if (parameters != Parameters(actual))
                problems.Add($"{name}: {parameters} parameters, expected {Parameters(actual)} for widths {string.Join(",", actual)}");
            var conv1 = ((Conv2d)layers["conv1"]).weight!;
            using (var rows = conv1.reshape(conv1.shape[0], -1).abs().sum(1).eq(0).sum())
                if (zeroFilters >= 0 && rows.item<long>() != zeroFilters)
                    problems.Add($"{name}: {rows.item<long>()} zero filters in conv1, expected {zeroFilters}");
            using (var zeros = ((Linear)layers["fc1"]).weight!.eq(0).sum())
                if (zeroWeights >= 0 && zeros.item<long>() != zeroWeights)
                    problems.Add($"{name}: {zeros.item<long>()} zero weights in fc1, expected {zeroWeights}");
            foreach (var (key, mask) in PruningMasks.Of(pruned))
            {
                var weight = pruned.named_parameters().Single(p => p.name == key).parameter;
                if (!mask.shape.SequenceEqual(weight.shape))
                    problems.Add($"{name}: the mask of {key} has shape ({string.Join(",", mask.shape)}), its weight ({string.Join(",", weight.shape)})");
                else
                    using (var leaked = weight.masked_select(mask.eq(0)).ne(0).sum())
                        if (leaked.item<long>() != 0)
                            problems.Add($"{name}: {leaked.item<long>()} masked entries of {key} are not zero");
            }
            if (first == "prune" && second == "compress")
            {
                // The mask followed the kept rows and columns: fc1 still holds zeros exactly where its mask does.
                var mask = PruningMasks.Get(pruned, "fc1.weight");
                if (mask is null)
                    problems.Add($"{name}: fc1 lost its mask");
                else
                    using (var masked = mask.eq(0).sum())
                    using (var zeros = ((Linear)layers["fc1"]).weight!.eq(0).sum())
                        if (masked.item<long>() == 0 || masked.item<long>() != zeros.item<long>())
                            problems.Add($"{name}: fc1's mask holds {masked.item<long>()} zeros, its weight {zeros.item<long>()}");
            }
            var next = await Kernel.SendAsync(new SubmitCode("1 + 1"));
            if (next.Events.OfType<CommandFailed>().Any() || !next.Events.OfType<ReturnValueProduced>().Any())
                problems.Add($"{name}: the kernel did not answer the next cell");
        }
        Assert.True(problems.Count == 0, $"{problems.Count} problems in {Matrix.Length} rows:\n" + string.Join("\n", problems));
    }

    /// <summary>LeNet-5's parameters for hidden widths (conv1, conv2, fc1, fc2): 5×5 kernels, 16·5·5 inputs to fc1 per conv2 filter, 10 classes.</summary>
    private static long Parameters(int[] w) =>
        (w[0] * 25 + w[0]) + (w[1] * w[0] * 25 + w[1]) + (w[2] * w[1] * 25 + w[2]) + (w[3] * w[2] + w[3]) + (10 * w[3] + 10);

    private static Dictionary<string, nn.Module> Layers(nn.Module model) => model.named_modules().ToDictionary(m => m.name, m => m.module);

    private static int[] Widths(nn.Module model)
    {
        var layers = Layers(model);
        return [(int)((Conv2d)layers["conv1"]).out_channels, (int)((Conv2d)layers["conv2"]).out_channels,
            (int)((Linear)layers["fc1"]).out_features, (int)((Linear)layers["fc2"]).out_features];
    }

    private static Tensor Outputs(LeNet5 model, Tensor input)
    {
        using var noGrad = no_grad();
        model.eval();
        return model.call(input);
    }

    /// <summary>Every weight and mask as a hash, with the widths they had.</summary>
    private static (List<string> All, int[] Widths) Hashes(nn.Module model)
    {
        var all = model.state_dict().Select(e => $"{e.Key}:{Convert.ToHexString(SHA256.HashData(e.Value.cpu().bytes))}").ToList();
        all.AddRange(PruningMasks.Of(model).Select(m => $"{m.Name}.mask:{Convert.ToHexString(SHA256.HashData(m.Mask.cpu().bytes))}"));
        return (all, Widths(model));
    }
}
