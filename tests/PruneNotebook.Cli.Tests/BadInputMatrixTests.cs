using System.Buffers.Binary;
using System.Security.Cryptography;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Tests.Shared;
using static TorchSharp.torch;

namespace PruneNotebook.Cli.Tests;

/// <summary>
/// The bad-input matrix through the command line: each row is a command a user might type and a fragment of the one
/// line it must answer with. Every row also checks its exit code (2 for wrong input, 1 for a file that cannot be used;
/// never 70, a bug), exactly one line on
/// the error stream, and that no file in the test's folder changed or appeared (nothing written half). {dir} is the
/// folder of the prepared files. Add a row to add a case.
/// </summary>
public sealed class BadInputMatrixTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("prunenotebook-cli-matrix-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const int Usage = CliApp.UsageError;
    private const int Failed = CliApp.Failure;

    /// <summary>(command line, exit code: <see cref="Usage"/> for wrong input, <see cref="Failed"/> for a file that cannot be used, what the one line must say).</summary>
    public static readonly (string Command, int Code, string Says)[] Matrix =
    [
        // Missing, unknown, malformed and out-of-range arguments.
        ("summary", Usage, "Option '--model' is required"),
        ("summary --model alexnet", Usage, "Unknown model 'alexnet'"),
        ("summary --model lenet5 --bogus", Usage, "Unrecognized command or argument '--bogus'"),
        ("prune --model lenet5", Usage, "--amount"),
        ("prune --model lenet5 --amount lots", Usage, "is not a number"),
        ("prune --model lenet5 --amount -0.5", Usage, "amount=-0.5 should either be a float in the range [0, 1]"),
        ("prune --model lenet5 --amount 1.5", Usage, "amount=1.5 should either be a float in the range [0, 1]"),
        ("prune --model lenet5 --amount -3", Usage, "amount=-3"),
        ("prune --model lenet5 --amount 100000 --layers fc3", Usage, "amount=100000 should be smaller than the number of parameters to prune=840"),
        ("prune --model lenet5 --amount 7 --structured --layers conv1", Usage, "amount=7 should be smaller than the number of units to prune=6"),
        ("prune --model lenet5 --amount 0.5 --scope galactic", Usage, "Argument 'galactic' not recognized. Must be one of: 'local' 'global'"),
        ("prune --model lenet5 --amount 0.5 --layers fc9", Usage, "has no layer 'fc9'"),
        ("train --model lenet5 --data {dir}/mnist --epochs 0", Usage, "poch"),
        ("train --model lenet5 --data {dir}/mnist --lr -1", Usage, "Learning rate must be a positive number"),
        ("train --model lenet5 --data {dir}/mnist --batch-size 0", Usage, "atch size"),
        ("train --model lenet5 --data {dir}/mnist --optimizer lbfgs9", Usage, "Unknown optimizer 'lbfgs9'"),
        // Model files: missing, empty, truncated, corrupted, another architecture, NaN weights.
        ("prune --model lenet5 --amount 0.5 --weights {dir}/missing.bin", Failed, "missing.bin"),
        ("prune --model lenet5 --amount 0.5 --weights {dir}/empty.bin", Failed, "empty.bin"),
        ("prune --model lenet5 --amount 0.5 --weights {dir}/truncated.bin", Failed, "truncated.bin"),
        ("prune --model lenet5 --amount 0.5 --weights {dir}/corrupt.bin", Failed, "corrupt.bin"),
        ("prune --model lenet5 --amount 0.5 --weights {dir}/lenet300.bin", Failed, "does not fit LeNet5"),
        ("prune --model lenet5 --amount 0.5 --weights {dir}/nan.bin --save {dir}/out.bin", Usage, "'fc2.weight' holds 1 NaN value"),
        ("prune --model lenet5 --amount 0.5 --weights {dir}/inf.bin --scope global", Usage, "'fc2.weight' holds 1 infinite value"),
        ("summary --model lenet5 --weights {dir}/truncated.bin", Failed, "truncated.bin"),
        // Checkpoints.
        ("train --model lenet5 --data {dir}/mnist --resume --checkpoint {dir}/empty.bin", Failed, "empty.bin"),
        ("train --model lenet5 --data {dir}/mnist --resume --checkpoint {dir}/truncated.bin", Failed, "truncated.bin"),
        ("train --model lenet5 --data {dir}/mnist --resume --checkpoint {dir}/lenet5.bin", Failed, "lenet5.bin"),
        // IDX data: missing folder, empty, truncated, bad magic, a header claiming 2^40 elements, corrupt gzip.
        ("train --model lenet5 --data {dir}/nowhere", Failed, "nowhere"),
        ("train --model lenet5 --data {dir}/mnist-empty", Failed, "truncated header"),
        ("train --model lenet5 --data {dir}/mnist-truncated", Failed, "truncated data"),
        ("train --model lenet5 --data {dir}/mnist-magic", Failed, "wrong magic number"),
        ("train --model lenet5 --data {dir}/mnist-huge", Failed, "1048576×1048576"),
        ("train --model lenet5 --data {dir}/mnist-gzip", Failed, "corrupt gzip data"),
        ("train --model lenet5 --data {dir}/mnist-labels", Failed, "labels"),
        // N:M and the post-training criteria (wanda, sparsegpt) with their options.
        ("prune --model lenet5 --n-m 2:4 --amount 0.5", Usage, "--amount 0.5 does not apply with --n-m 2:4"),
        ("prune --model lenet5 --n-m two", Usage, "n-m"),
        ("prune --model lenet5 --n-m 2:4 --structured", Usage, "drop --structured"),
        ("prune --model lenet5 --amount 0.5 --samples 64", Usage, "--samples"),
        ("prune --model lenet5 --amount 0.5 --criterion wanda", Usage, "--data"),
        ("prune --model lenet5 --amount 0.5 --criterion wanda --data {dir}/mnist --samples 0", Usage, "--samples must be at least 1"),
        ("prune --model lenet5 --amount 0.5 --criterion sparsegpt --data {dir}/mnist --blocksize 0", Usage, "--blocksize must be at least 1"),
        ("prune --model lenet5 --amount 0.5 --criterion sparsegpt --data {dir}/mnist --damping -1", Usage, "--damping must be a positive fraction"),
        ("prune --model lenet5 --amount 0.5 --criterion sparsegpt --data {dir}/mnist --damping x", Usage, "--damping 'x' is not a number"),
        ("prune --model lenet5 --amount 0.5 --criterion wanda --data {dir}/mnist --calibration {dir}/mnist", Usage, "--calibration is another name for --data"),
        ("prune --model lenet5 --amount 0.5 --criterion wanda --calibration {dir}/nowhere", Failed, "nowhere"),
        ("prune --model lenet5 --amount 0.5 --criterion wanda --data {dir}/mnist --scope global", Usage, "use --scope local"),
        // Text (fortunes, chargpt) and images do not mix; options of one are refused with the other.
        ("train --model chargpt --data fashion-mnist", Usage, "--model chargpt reads text and --data fashion-mnist is images: use --data fortunes or a fortunes folder."),
        ("evaluate --model lenet5 --data fortunes", Usage, "--model lenet5 classifies images and --data fortunes is text"),
        ("compress --model lenet5 --amount 0.5 --data fortunes", Usage, "--data fortunes is text, for chargpt's train, prune and evaluate"),
        ("train --model chargpt --data fortunes --optimizer sgd", Usage, "--optimizer is for images: drop it."),
        ("train --model chargpt --data fortunes --steps 5 --epochs 1", Usage, "Give --steps or --epochs, not both."),
        ("train --model lenet5 --data {dir}/mnist --steps 5", Usage, "--steps counts a language model's steps on text"),
        ("train --model lenet5 --data {dir}/mnist --context 16", Usage, "--context is the window length of text data"),
        ("evaluate --model chargpt --data fortunes --context 65", Usage, "--context 65 is longer than --model chargpt reads (64 characters): use at most 64."),
        ("prune --model chargpt --amount 0.5 --criterion taylor --data fortunes", Usage, "--criterion taylor measures on labelled images; on text use wanda or sparsegpt"),
        ("evaluate --model chargpt --data {dir}/nowhere", Failed, "No fortunes folder at"),
        ("sensitivity --model chargpt --amounts 0.5", Usage, "sensitivity measures test accuracy on Fashion-MNIST images, and --model chargpt reads text"),
        ("compress --model chargpt --amount 0.5 --evaluate", Usage, "--data and --evaluate measure test accuracy on Fashion-MNIST images, and --model chargpt reads text"),
        ("tradeoff --model chargpt --sparsities 0.5 --dir {dir}/t1", Usage, "a tradeoff study trains and measures test accuracy on Fashion-MNIST images"),
        ("evaluate --model chargpt --data {dir}/mnist", Failed, "holds no fortunes"),
        // Recipes (prunenotebook run): refused before anything runs (2), or a step that fails while running (1).
        ("run", Usage, "recipe"),
        ("run {dir}/missing.yaml", Usage, "no such recipe file"),
        ("run {dir}/empty.yaml", Usage, "empty.yaml"),
        ("run {dir}/malformed.yaml", Usage, "not valid YAML or JSON"),
        ("run {dir}/unknownstep.yaml", Usage, ":3: prun: unknown step"),
        ("run {dir}/unknownkey.yaml", Usage, ":3: prune.bogus: unknown key"),
        ("run {dir}/badvalue.yaml", Usage, ":3: prune.amount"),
        ("run {dir}/badcriterion.yaml", Usage, "magic"),
        ("run {dir}/nomodel.yaml", Usage, "model"),
        ("run {dir}/savenowhere.yaml", Usage, "no/such/folder"),
        ("run {dir}/textimages.yaml", Usage, ":3: data.name: model 'chargpt' reads text and the data is Fashion-MNIST images"),
        ("run {dir}/imagestext.yaml", Usage, ":3: data.name: model 'lenet5' classifies images and the data is fortunes text"),
        ("run {dir}/droplayerstext.yaml", Usage, ":3: drop-layers: works on the image models and Fashion-MNIST, and model 'chargpt' reads text"),
        ("run {dir}/taylortext.yaml", Usage, ":4: prune.criterion: --criterion taylor measures on labelled images"),
        ("run {dir}/lenet.yaml --output xml", Usage, "xml"),
        ("run {dir}/lenet.yaml --report {dir}/no/such/report.html", Usage, "does not exist"),
        ("run {dir}/toomany.yaml", Failed, ":3: prune: amount=100000 should be smaller than the number of parameters to prune=840"),
        ("run {dir}/corruptdata.yaml", Failed, "corrupt gzip data"),
        // Sweep specs: missing, empty, malformed, unknown fields and values.
        ("sweep create {dir}/missing.json --dir {dir}/s1", Failed, "missing.json"),
        ("sweep create {dir}/empty.json --dir {dir}/s2", Failed, "empty.json"),
        ("sweep create {dir}/malformed.json --dir {dir}/s3", Failed, "malformed.json"),
        ("sweep create {dir}/notrials.json --dir {dir}/s4", Usage, "trial"),
        ("sweep create {dir}/badamount.json --dir {dir}/s5", Failed, "amount"),
        ("sweep create {dir}/badmodel.json --dir {dir}/s6", Usage, "alexnet"),
        ("sweep status {dir}/mnist", Failed, "is not a sweep directory"),
    ];

    [Fact]
    public void Every_bad_command_line_gets_one_clear_line_its_exit_code_and_changes_no_file()
    {
        Prepare();
        var problems = new List<string>();
        foreach (var (template, expected, says) in Matrix)
        {
            var args = template.Split(' ').Select(a => a.Replace("{dir}", _dir, StringComparison.Ordinal)).ToArray();
            var files = Files();
            var (code, _, error) = CliRunner.Run(200, args);
            var lines = error.Trim().Split('\n');
            if (code != expected)
                problems.Add($"{template}: exit code {code}, expected {expected}: {error.Trim()}");
            else if (lines.Length != 1 || !lines[0].StartsWith("prunenotebook: ", StringComparison.Ordinal))
                problems.Add($"{template}: not one line: {error.Trim()}");
            else if (!lines[0].Contains(says, StringComparison.Ordinal))
                problems.Add($"{template}: expected '{says}' in: {lines[0]}");
            if (!Files().SequenceEqual(files))
                problems.Add($"{template}: the files changed");
        }
        Assert.True(problems.Count == 0, $"{problems.Count} of {Matrix.Length} rows failed:\n" + string.Join("\n", problems));
    }

    /// <summary>Every file and folder under the test's folder with a hash of its content.</summary>
    private List<string> Files() =>
        Directory.EnumerateFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => File.Exists(f) ? f + ":" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))) : f + "/").ToList();

    private string In(string name) => Path.Combine(_dir, name);

    private void Prepare()
    {
        using (var model = new LeNet5())
            ModelFile.Save(model, In("lenet5.bin"));
        var valid = File.ReadAllBytes(In("lenet5.bin"));
        File.WriteAllBytes(In("empty.bin"), []);
        File.WriteAllBytes(In("truncated.bin"), valid[..(valid.Length / 2)]);
        var corrupt = (byte[])valid.Clone();
        for (var i = 8; i < 200; i += 7)
            corrupt[i] ^= 0x5A;
        File.WriteAllBytes(In("corrupt.bin"), corrupt);
        using (var model = new LeNet300_100())
            ModelFile.Save(model, In("lenet300.bin"));
        foreach (var (name, value) in new[] { ("nan.bin", float.NaN), ("inf.bin", float.PositiveInfinity) })
        {
            using var model = new LeNet5();
            using (no_grad())
                model.named_parameters().Single(p => p.name == "fc2.weight").parameter[3, 5] = tensor(value);
            ModelFile.Save(model, In(name));
        }

        // A tiny Fashion-MNIST folder (raw IDX), then broken copies of it.
        var images = Enumerable.Range(0, 12 * 28 * 28).Select(i => (byte)(i * 7)).ToArray();
        var labels = Enumerable.Range(0, 12).Select(i => (byte)(i % 10)).ToArray();
        void Mnist(string folder, byte[] trainImages, byte[]? trainLabels = null)
        {
            Directory.CreateDirectory(In(folder));
            File.WriteAllBytes(Path.Combine(In(folder), "train-images-idx3-ubyte"), trainImages);
            File.WriteAllBytes(Path.Combine(In(folder), "train-labels-idx1-ubyte"), trainLabels ?? Idx(0x08, [12], labels));
            File.WriteAllBytes(Path.Combine(In(folder), "t10k-images-idx3-ubyte"), Idx(0x08, [12, 28, 28], images));
            File.WriteAllBytes(Path.Combine(In(folder), "t10k-labels-idx1-ubyte"), Idx(0x08, [12], labels));
        }
        var validImages = Idx(0x08, [12, 28, 28], images);
        Mnist("mnist", validImages);
        Mnist("mnist-empty", []);
        Mnist("mnist-truncated", validImages[..5000]);
        Mnist("mnist-magic", [1, 2, .. validImages[2..]]);
        Mnist("mnist-huge", Idx(0x08, [1 << 20, 1 << 20], [1, 2, 3]));
        Mnist("mnist-gzip", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        Mnist("mnist-labels", validImages, Idx(0x08, [11], labels[..11]));

        (string Name, string Text)[] recipes =
        [
            .. BrokenRecipes.All,
            ("toomany.yaml", "steps:\n  - model: lenet5\n  - prune: {amount: 100000, layers: [fc3]}\n"),
            ("corruptdata.yaml", "steps:\n  - model: lenet5\n  - data: {name: fashion-mnist, directory: mnist-gzip}\n  - train: {epochs: 1}\n"),
        ];
        foreach (var (name, text) in recipes)
            File.WriteAllText(In(name), text);
        File.WriteAllText(In("empty.json"), "");
        File.WriteAllText(In("malformed.json"), "{ \"name\": \"x\", \"trials\": [ { \"model\": ");
        File.WriteAllText(In("notrials.json"), "{ \"name\": \"x\", \"trials\": [] }");
        const string Trial = "{ \"model\": \"lenet5\", \"data\": { \"name\": \"fashion-mnist\" }, \"steps\": [ { \"kind\": \"prune\", \"amount\": AMOUNT } ] }";
        File.WriteAllText(In("badamount.json"), "{ \"name\": \"x\", \"trials\": [ " + Trial.Replace("AMOUNT", "1.5") + " ] }");
        File.WriteAllText(In("badmodel.json"), "{ \"name\": \"x\", \"trials\": [ " + Trial.Replace("AMOUNT", "0.5").Replace("lenet5", "alexnet") + " ] }");
    }

    private static byte[] Idx(byte type, int[] dims, byte[] payload)
    {
        using var stream = new MemoryStream();
        stream.Write([0, 0, type, (byte)dims.Length]);
        Span<byte> word = stackalloc byte[4];
        foreach (var d in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, d);
            stream.Write(word);
        }
        stream.Write(payload);
        return stream.ToArray();
    }
}
