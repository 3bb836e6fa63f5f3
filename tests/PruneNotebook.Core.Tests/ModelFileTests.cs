using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class ModelFileTests
{
    private static LeNet5 PrunedLeNet5()
    {
        manual_seed(0);
        var model = new LeNet5();
        Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.9), new MagnitudeCriterion(1), PruningScope.Global);
        Pruner.Structured(model, ["conv2.weight"], PruningAmount.Exactly(2), new MagnitudeCriterion(2));
        return model;
    }

    [Fact]
    public void Save_then_load_gives_identical_outputs_and_the_same_masks()
    {
        using var folder = new IdxFiles.TempFolder();
        var path = Path.Combine(folder.Path, "lenet5.pruned.bin");
        using var original = PrunedLeNet5();
        ModelFile.Save(original, path);

        manual_seed(123);
        using var loaded = new LeNet5();
        ModelFile.Load(loaded, path);

        using var input = randn(8, 1, 28, 28);
        original.eval();
        loaded.eval();
        Assert.Equal(original.call(input).data<float>().ToArray(), loaded.call(input).data<float>().ToArray());
        var expected = PruningMasks.Of(original).ToDictionary(m => m.Name, m => PyTorchReference.MaskOf(m.Mask));
        var actual = PruningMasks.Of(loaded).ToDictionary(m => m.Name, m => PyTorchReference.MaskOf(m.Mask));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, mask) in expected)
            Assert.Equal(mask, actual[name]);
    }

    [Fact]
    public void Training_after_loading_keeps_the_pruned_weights_at_zero_and_reset_still_restores()
    {
        using var folder = new IdxFiles.TempFolder();
        var path = Path.Combine(folder.Path, "model.bin");
        using var original = PrunedLeNet5();
        ModelFile.Save(original, path);
        using var loaded = new LeNet5();
        ModelFile.Load(loaded, path);
        var zeros = SparsityReport.Create(loaded)["fc1.weight"].Zeros;

        var generator = new Generator(1);
        using var data = new TensorDataset(randn([64, 1, 28, 28], generator: generator), randint(10, [64], generator: generator));
        new Trainer(new TrainerOptions(Epochs: 1, BatchSize: 16, Optimizer: "sgd", LearningRate: 0.1)).Fit(loaded, data);
        Assert.True(SparsityReport.Create(loaded)["fc1.weight"].Zeros >= zeros);
        Assert.Equal(0, loaded.named_parameters().Single(p => p.name == "fc1.weight").parameter
            .masked_select(PruningMasks.Get(loaded, "fc1.weight")!.eq(0)).abs().sum().item<float>());

        PruningMasks.Reset(loaded);
        Assert.True(SparsityReport.Create(loaded)["fc1.weight"].Zeros < zeros / 10);
    }

    [Fact]
    public void A_file_of_another_architecture_is_refused_and_the_model_is_left_as_it_was()
    {
        using var folder = new IdxFiles.TempFolder();
        var path = Path.Combine(folder.Path, "mlp.bin");
        using (var mlp = new LeNet300_100())
            ModelFile.Save(mlp, path);
        using var model = PrunedLeNet5();
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.flatten().data<float>().ToArray());
        var masksBefore = PruningMasks.Of(model).Count;

        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(model, path));
        Assert.Contains("does not fit LeNet5", e.Message);
        foreach (var (name, values) in model.state_dict())
            Assert.Equal(before[name], values.flatten().data<float>().ToArray());
        Assert.Equal(masksBefore, PruningMasks.Of(model).Count);
        Assert.Throws<FileNotFoundException>(() => ModelFile.Load(model, Path.Combine(folder.Path, "absent.bin")));
    }

    [Fact]
    public void A_save_that_fails_midway_leaves_the_previous_file_intact_and_no_temporary_files()
    {
        using var folder = new IdxFiles.TempFolder();
        var path = folder.Write("checkpoint.bin", [1, 2, 3]);
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(folder.Path));
        using var model = new LeNet5();
        var e = Assert.Throws<IOException>(() => ModelFile.Save(model, Path.Combine(folder.Path, "missing", "m.bin")));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void A_pruned_state_dict_saved_by_pytorch_imports_with_its_masks()
    {
        var reference = PyTorchReference.Root.GetProperty("saved_state_dict");
        using var model = new PyTorchReference.FcConv();
        PyTorchStateDict.Import(model, Path.Combine(AppContext.BaseDirectory, "Reference", reference.GetProperty("file").GetString()!));
        foreach (var expected in reference.GetProperty("masks").EnumerateObject())
            Assert.Equal(PyTorchReference.Longs(expected.Value), PyTorchReference.MaskOf(PruningMasks.Get(model, expected.Name)!));
        foreach (var group in new[] { "effective", "bias" })
            foreach (var expected in reference.GetProperty(group).EnumerateObject())
                Assert.Equal(PyTorchReference.Floats(expected.Value),
                    model.named_parameters().Single(p => p.name == expected.Name).parameter.flatten().data<float>().ToArray());
    }

    [Fact]
    public void Export_uses_pytorchs_pruned_names_and_imports_back_identically()
    {
        using var folder = new IdxFiles.TempFolder();
        var path = Path.Combine(folder.Path, "lenet5.pt");
        using var model = PrunedLeNet5();
        PyTorchStateDict.Export(model, path);

        var keys = PyTorchUnpickler.UnpickleStateDict(path).Keys.Cast<string>().ToHashSet();
        Assert.Contains("fc1.weight_orig", keys);
        Assert.Contains("fc1.weight_mask", keys);
        Assert.Contains("conv2.bias_mask", keys);
        Assert.Contains("fc1.bias", keys);
        Assert.DoesNotContain("fc1.weight", keys);

        using var copy = new LeNet5();
        PyTorchStateDict.Import(copy, path);
        using var input = randn(4, 1, 28, 28);
        Assert.Equal(model.call(input).data<float>().ToArray(), copy.call(input).data<float>().ToArray());
        Assert.Equal(PruningMasks.Of(model).Count, PruningMasks.Of(copy).Count);
    }

    [Fact]
    public void Import_names_missing_and_unexpected_entries()
    {
        using var folder = new IdxFiles.TempFolder();
        var path = Path.Combine(folder.Path, "mlp.pt");
        using (var mlp = new LeNet300_100())
            PyTorchStateDict.Export(mlp, path);
        using var model = new LeNet5();
        var e = Assert.Throws<InvalidDataException>(() => PyTorchStateDict.Import(model, path));
        Assert.Contains("'fc1.weight' has shape (300, 784) in the file but (120, 400) in LeNet5", e.Message);
        var text = folder.Write("text.pt", "not a pickle"u8.ToArray());
        Assert.Contains("is not a PyTorch state_dict file", Assert.Throws<InvalidDataException>(() => PyTorchStateDict.Import(model, text)).Message);
    }
}
