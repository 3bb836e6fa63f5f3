using System.Security.Cryptography;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Tests.Shared;
using static TorchSharp.torch;

namespace PruneNotebook.Interactive.Tests;

/// <summary>
/// The bad-input matrix through the real kernel: each row is a cell a user might type and a fragment of the one line it
/// must answer with. Every row also checks that the answer is one line (no stack trace, not called a bug), that the kernel
/// answers the next cell, that no model variable changed (weights and masks, bit for bit) and that no file in the
/// test's folder changed or appeared. Add a row to add a case; {dir} is the folder of the prepared files.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class BadInputMatrixTests : KernelTestBase
{
    /// <summary>(cell, what the one line must say).</summary>
    public static readonly (string Cell, string Says)[] Matrix =
    [
        // Missing, unknown and malformed arguments.
        ("#!prune --amount 0.5", "Missing required parameter '--model'"),
        ("#!prune nosuch --amount 0.5", "No C# variable named 'nosuch'"),
        ("#!prune model", "--amount"),
        ("#!prune model --amount", "--amount"),
        ("#!prune model --amount lots", "is not a number"),
        ("#!prune model --amount 0.5 --bogus 1", "Unrecognized parameter name '--bogus'"),
        ("#!prune model --amount 0.5 --scope galactic", "Unknown --scope 'galactic'"),
        ("#!prune model --amount 0.5 --criterion magic", "Unknown --criterion 'magic'"),
        ("#!prune model --amount 0.5 --layers fc9", "has no layer 'fc9'"),
        ("#!prune model --amount 0.5 --structured --dim 7", "has no dimension 7"),
        ("#!prune model --amount 0.5 --structured --dim x", "--dim 'x' is not a whole number"),
        ("#!summary", "Missing required parameter '--model'"),
        ("#!summary model --input-shape 1,a,28", "input-shape"),
        ("#!summary model --input-shape 1,3,32,32", "1, 3, 32, 32"),
        ("#!sparsity nosuch", "No C# variable named 'nosuch'"),
        ("#!trim", "Missing required parameter '--model'"),
        ("#!compress model", "--amount"),
        ("#!compress model --amount 0.5 --max-fraction 2", "maximum fraction must be in (0, 1]"),
        ("#!compress model --amount 0.5 --round-to 0", "Round-to must be a positive multiple"),
        ("#!drop-layers model --data samples", "Cannot drop 1 layer(s) of LeNet5"),
        ("#!train mlp", "--data"),
        ("#!train mlp --data samples --epochs 0", "Epochs must be at least 1, got 0"),
        ("#!train mlp --data samples --batch-size -4", "atch size"),
        ("#!train mlp --data samples --lr -1", "Learning rate must be a positive number"),
        ("#!train mlp --data samples --optimizer lbfgs9", "Unknown optimizer 'lbfgs9'"),
        ("#!sensitivity model --data samples --amounts 2", "must be sparsities in [0, 1]"),
        ("#!sensitivity model --data samples --amounts a,b", "amounts"),
        ("#!cv logistic", "--data"),
        ("#!cv forest --data wine", "Unknown estimator 'forest'"),
        ("#!cv logistic --data wine --folds 1", "folds"),
        ("#!cv logistic --data wine --parallel 0", "arallel"),
        ("#!search logistic --data wine --grid \"C=\"", "C"),
        ("#!select-features iris --method rfe --k 0", "--k 0 is out of range"),
        ("#!tradeoff model --data samples --sparsities 0.5", "worker processes load their data by name"),
        // Variables of the wrong type, disposed models.
        ("#!prune text --amount 0.5", "Variable 'text' is a String, not a TorchSharp module"),
        ("#!prune samples --amount 0.5", "Variable 'samples' is a TensorDataset, not a TorchSharp module"),
        ("#!train mlp --data text", "not a dataset"),
        ("#!train mlp --data model", "not a dataset"),
        ("#!cv text --data wine", "Variable 'text' is a String, not an IEstimator"),
        ("#!prune disposed --amount 0.5", "Variable 'disposed' holds a disposed model"),
        ("#!summary disposed", "Variable 'disposed' holds a disposed model"),
        ("#!trim disposed", "Variable 'disposed' holds a disposed model"),
        // Wrong input shapes, datasets that cannot serve.
        ("#!train mlp --data images3", "shape"),
        ("#!sensitivity model --data images3", "input with 1 channels"),
        ("#!train mlp --data onerow --validation-fraction 0.5", "validation fraction"),
        ("#!cv logistic --data oneclass --folds 2", "class"),
        ("#!prune mlp --amount 10 --structured --criterion taylor --data images3 --layers fc1", "shape"),
        // NaN and infinite weights and inputs.
        ("#!prune nanmodel --amount 0.5", "'fc2.weight' holds 1 NaN value"),
        ("#!prune infmodel --amount 0.5 --scope global", "'fc2.weight' holds 1 infinite value"),
        ("#!prune nanmodel --amount 2 --structured --layers fc2", "'fc2.weight' holds 1 NaN value"),
        ("#!compress nanmodel --amount 0.5", "'fc2.weight' holds 1 NaN value"),
        ("#!sensitivity nanmodel --data samples --amounts 0.5", "'fc2.weight' holds 1 NaN value"),
        ("#!prune mlp --amount 10 --structured --criterion taylor --data nansamples --layers fc1", "The data the criterion measures on holds 1 NaN or infinite input value"),
        ("#!train mlp --data nansamples", "The training set holds 1 NaN or infinite input value"),
        // Amounts: negative, above 1, counts above the size.
        ("#!prune model --amount -0.5", "amount=-0.5 should either be a float in the range [0, 1] or a non-negative integer"),
        ("#!prune model --amount -3", "amount=-3 should either be a float in the range [0, 1] or a non-negative integer"),
        ("#!prune model --amount 1.5", "amount=1.5 should either be a float in the range [0, 1]"),
        ("#!prune model --amount 150%", "amount=1.5"),
        ("#!prune model --amount 100000 --layers fc3", "amount=100000 should be smaller than the number of parameters to prune=840"),
        ("#!prune model --amount 7 --structured --layers conv1", "amount=7 should be smaller than the number of units to prune=6"),
        ("#!compress model --amount 7", "amount=7 should be smaller than the number of units of 'conv1'=6"),
        ("#!compress model --amount 1.0", "Compressing would remove all 6 units of 'conv1'"),
        ("#!compress model --amount -1", "amount=-1"),
        // The options of N:M, the post-training criteria (wanda, sparsegpt), attention heads and --show-recipe.
        ("#!prune model --n-m 2:4 --amount 0.5", "--amount 0.5 does not apply with --n-m 2:4"),
        ("#!prune model --n-m two", "n-m"),
        ("#!prune model --n-m 4:2", "n-m"),
        ("#!prune model --n-m 0:4", "n-m"),
        ("#!prune model --n-m 2:4 --structured", "drop --structured"),
        ("#!prune model --n-m 2:4 --scope global", "drop --scope"),
        ("#!prune model --n-m 2:4 --layers conv1", "conv1"),
        ("#!prune model --amount 0.5 --samples 64", "--samples"),
        ("#!prune model --amount 0.5 --criterion wanda", "--data"),
        ("#!prune model --amount 0.5 --criterion wanda --data samples --samples 0", "--samples"),
        ("#!prune model --amount 0.5 --criterion wanda --data samples --samples lots", "--samples"),
        ("#!prune model --amount 0.5 --criterion wanda --data samples --blocksize 64", "--blocksize"),
        ("#!prune model --amount 0.5 --criterion sparsegpt --data samples --blocksize 0", "--blocksize"),
        ("#!prune model --amount 0.5 --criterion sparsegpt --data samples --damping -1", "--damping"),
        ("#!prune model --amount 0.5 --criterion sparsegpt --data samples --damping x", "--damping"),
        ("#!prune model --amount 0.5 --criterion wanda --data samples --calibration samples", "--calibration is another name for --data"),
        ("#!prune model --amount 0.5 --criterion wanda --calibration nosuch", "No C# variable named 'nosuch'"),
        ("#!prune model --amount 0.5 --calibration samples", "criteria that measure on data"),
        ("#!prune model --amount 0.5 --criterion wanda --data samples --scope global", "use --scope local"),
        ("#!prune model --amount 10 --criterion wanda --data samples", "as a fraction"),
        ("#!prune model --amount 0.5 --criterion sparsegpt --data images3", "The calibration data (examples of shape (3, 32, 32), Float32) does not fit"),
        ("#!prune model --amount 0.5 --criterion wanda --data nansamples", "NaN"),
        ("#!compress model --amount 0.5 --heads lots", "--heads"),
        ("#!compress model --amount 0.5 --heads -1", "--heads"),
        ("#!compress model --amount 0.5 --heads 1.5", "--heads"),
        ("#!compress model --amount 0 --heads 1", "attention"),
        ("#!compress model --amount 0.5 --criterion magic --show-recipe", "Unknown --criterion 'magic'"),
        // Recipes: missing, empty, malformed, unknown steps and keys, bad values, a variable name that cannot be one.
        ("#!recipe", "--file"),
        ("#!recipe {dir}/missing.yaml", "missing.yaml"),
        ("#!recipe {dir}/empty.yaml", "empty.yaml"),
        ("#!recipe {dir}/malformed.yaml", "not valid YAML or JSON"),
        ("#!recipe {dir}/unknownstep.yaml", ":3: prun: unknown step"),
        ("#!recipe {dir}/unknownkey.yaml", ":3: prune.bogus: unknown key"),
        ("#!recipe {dir}/badvalue.yaml", ":3: prune.amount"),
        ("#!recipe {dir}/badcriterion.yaml", "magic"),
        ("#!recipe {dir}/nomodel.yaml", "model"),
        ("#!recipe {dir}/savenowhere.yaml", "no/such/folder"),
        ("#!recipe {dir}/lenet.yaml --model 1abc", "1abc"),
        ("#!recipe {dir}/lenet.yaml --model \"two words\"", "two words"),
        // Files: missing, empty, truncated, corrupted, of another version.
        ("#!train mlp --data samples --resume --checkpoint {dir}/empty.ckpt", "empty.ckpt"),
        ("#!train mlp --data samples --resume --checkpoint {dir}/truncated.ckpt", "truncated.ckpt"),
        ("#!train mlp --data samples --resume --checkpoint {dir}/corrupt.ckpt", "corrupt.ckpt"),
        ("#!train mlp --data samples --resume --checkpoint {dir}/v0.ckpt", "v0.ckpt"),
        ("#!train mlp --data samples --resume --checkpoint {dir}/lenet5.ckpt", "LeNet5"),
        ("#!train mlp --data samples --checkpoint {dir}/no/such/folder/x.ckpt", "does not exist"),
    ];

    [Fact]
    public async Task Every_bad_input_gets_one_clear_line_and_changes_nothing()
    {
        using var folder = new TempFolder();
        await Prepare(folder.Path);
        var problems = new List<string>();
        foreach (var (template, says) in Matrix)
        {
            var cell = template.Replace("{dir}", folder.Path, StringComparison.Ordinal);
            var models = Snapshot();
            var files = folder.Files();
            var result = await Kernel.SendAsync(new SubmitCode(cell));
            var failures = result.Events.OfType<CommandFailed>().ToList();
            if (failures.Count != 1)
            {
                problems.Add($"{template}: expected one failure, got {failures.Count}");
                continue;
            }
            var message = failures[0].Message.Trim();
            if (message.Contains('\n') || message.Contains("   at ") || message.Contains("a bug rather than"))
                problems.Add($"{template}: not one clear line: {message}");
            else if (!message.Contains(says, StringComparison.Ordinal))
                problems.Add($"{template}: expected '{says}' in: {message}");
            if (!Snapshot().SequenceEqual(models))
                problems.Add($"{template}: a model variable changed");
            if (!folder.Files().SequenceEqual(files))
                problems.Add($"{template}: the files changed");
            var next = await Kernel.SendAsync(new SubmitCode("1 + 1"));
            if (next.Events.OfType<CommandFailed>().Any() || !next.Events.OfType<ReturnValueProduced>().Any())
                problems.Add($"{template}: the kernel did not answer the next cell");
        }
        Assert.True(problems.Count == 0, $"{problems.Count} of {Matrix.Length} rows failed:\n" + string.Join("\n", problems));
    }

    private async Task Prepare(string dir)
    {
        var generator = new Generator(4);
        await CSharp.SetValueAsync("images3", new TensorDataset(randn([20, 3, 32, 32], generator: generator), randint(10, [20], generator: generator)), typeof(TensorDataset));
        await CSharp.SetValueAsync("onerow", new TensorDataset(randn([1, 1, 28, 28], generator: generator), tensor(new long[] { 3 })), typeof(TensorDataset));
        var nan = randn([50, 1, 28, 28], generator: generator);
        nan[0, 0, 3, 3] = tensor(float.NaN);
        await CSharp.SetValueAsync("nansamples", new TensorDataset(nan, randint(10, [50], generator: generator)), typeof(TensorDataset));
        var oneClass = new TabularDataset(randn([30, 4], generator: generator), zeros(30), ["a", "b", "c", "d"], ["only"], "oneclass");
        await CSharp.SetValueAsync("oneclass", oneClass, typeof(TabularDataset));
        await CSharp.SetValueAsync("nanmodel", WithWeight(float.NaN), typeof(LeNet300_100));
        await CSharp.SetValueAsync("infmodel", WithWeight(float.PositiveInfinity), typeof(LeNet300_100));
        var disposed = new LeNet5();
        disposed.Dispose();
        await CSharp.SetValueAsync("disposed", disposed, typeof(LeNet5));

        // A real checkpoint of mlp's architecture, then damaged copies.
        var valid = System.IO.Path.Combine(dir, "valid.ckpt");
        using (var model = new LeNet300_100())
        using (var train = new TensorDataset(randn([32, 1, 28, 28], generator: generator), randint(10, [32], generator: generator)))
            new Trainer(new TrainerOptions(Epochs: 1, BatchSize: 16, CheckpointPath: valid)).Fit(model, train);
        var bytes = await File.ReadAllBytesAsync(valid);
        await File.WriteAllBytesAsync(System.IO.Path.Combine(dir, "empty.ckpt"), []);
        await File.WriteAllBytesAsync(System.IO.Path.Combine(dir, "truncated.ckpt"), bytes[..(bytes.Length / 2)]);
        var corrupt = (byte[])bytes.Clone();
        for (var i = 40; i < corrupt.Length; i += 97)
            corrupt[i] ^= 0x5A;
        await File.WriteAllBytesAsync(System.IO.Path.Combine(dir, "corrupt.ckpt"), corrupt);
        var v0 = (byte[])bytes.Clone();
        var header = System.Text.Encoding.UTF8.GetBytes("checkpoint.v1");
        var at = v0.AsSpan().IndexOf(header);
        v0[at + header.Length - 1] = (byte)'0';
        await File.WriteAllBytesAsync(System.IO.Path.Combine(dir, "v0.ckpt"), v0);
        var lenet5 = System.IO.Path.Combine(dir, "lenet5.ckpt");
        using (var model = new LeNet5())
        using (var train = new TensorDataset(randn([16, 1, 28, 28], generator: generator), randint(10, [16], generator: generator)))
            new Trainer(new TrainerOptions(Epochs: 1, BatchSize: 16, CheckpointPath: lenet5)).Fit(model, train);

        // Recipes, each broken in one way.
        foreach (var (name, text) in BrokenRecipes.All)
            await File.WriteAllTextAsync(System.IO.Path.Combine(dir, name), text);
    }

    private static LeNet300_100 WithWeight(float value)
    {
        var model = new LeNet300_100();
        using (no_grad())
            model.named_parameters().Single(p => p.name == "fc2.weight").parameter[3, 5] = tensor(value);
        return model;
    }

    /// <summary>Every model variable's weights and masks, as bytes.</summary>
    private List<string> Snapshot()
    {
        var all = new List<string>();
        foreach (var name in new[] { "model", "mlp", "convnet", "nanmodel", "infmodel" })
        {
            var module = Variable<nn.Module>(name);
            foreach (var (key, value) in module.state_dict())
                all.Add($"{name}.{key}:{Convert.ToHexString(SHA256.HashData(value.cpu().bytes))}");
            foreach (var (key, mask) in PruningMasks.Of(module))
                all.Add($"{name}.{key}.mask:{Convert.ToHexString(SHA256.HashData(mask.cpu().bytes))}");
        }
        return all;
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("prunenotebook-matrix-").FullName;

        public List<string> Files() => Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => f + ":" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))).ToList();

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
