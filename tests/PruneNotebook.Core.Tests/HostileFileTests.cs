using System.Text;
using FsCheck;
using FsCheck.Xunit;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Runtime;
using PruneNotebook.Core.Scoring;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>
/// Every reader given a damaged copy of a valid file (cut anywhere, or one byte changed anywhere): a correct read or a
/// clear one-line error, never a crash, a hang or an allocation beyond the file's size, and a model it was loading
/// into left as it was. Case counts are kept small (<see cref="Cases"/> per reader and kind) so the class stays fast.
/// </summary>
public sealed class HostileFileTests : IDisposable
{
    /// <summary>Damaged files tried per reader and kind of damage.</summary>
    private const int Cases = 100;

    private readonly IdxFiles.TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A damaged copy: cut at a position, or one byte xor-ed with a non-zero value.</summary>
    private static byte[] Damage(byte[] valid, int position, byte xor, bool cut)
    {
        var at = position % valid.Length;
        if (cut)
            return valid[..at];
        var copy = (byte[])valid.Clone();
        copy[at] ^= xor == 0 ? (byte)0xFF : xor;
        return copy;
    }

    /// <summary>Runs a read of <paramref name="length"/> bytes: it succeeds, or fails with an expected one-line error; managed allocation stays near the file's size.</summary>
    private static void ReadsOrRefuses(long length, Action read)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            read();
        }
        catch (Exception e)
        {
            Assert.True(Failures.IsExpected(e), $"not a clear refusal: {e}");
            Assert.False(string.IsNullOrWhiteSpace(Failures.OneLine(e)));
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 8 * length + (4 << 20), $"allocated {allocated} bytes for a {length}-byte file");
    }

    private static readonly byte[] ValidIdx = IdxFiles.Bytes(0x08, [6, 5, 4], Enumerable.Range(0, 120).Select(i => (byte)i).ToArray());

    [Property(MaxTest = Cases)]
    public void Idx_raw_damaged_anywhere(NonNegativeInt position, byte xor, bool cut)
    {
        var bytes = Damage(ValidIdx, position.Get, xor, cut);
        var path = _folder.Write("images-idx3-ubyte", bytes);
        ReadsOrRefuses(bytes.Length, () =>
        {
            var array = IdxReader.Read(path);
            Assert.Equal(array.Dimensions.Aggregate(1L, (a, d) => a * d), array.Bytes?.Length ?? array.Values!.Length);
        });
    }

    [Property(MaxTest = Cases)]
    public void Idx_gzip_damaged_anywhere(NonNegativeInt position, byte xor, bool cut)
    {
        var bytes = Damage(IdxFiles.Gzip(ValidIdx), position.Get, xor, cut);
        var path = _folder.Write("images-idx3-ubyte.gz", bytes);
        ReadsOrRefuses(bytes.Length, () => IdxReader.Read(path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_idx_header_claiming_two_to_the_forty_elements_is_refused_without_allocating_them(bool gzip)
    {
        var raw = IdxFiles.Bytes(0x08, [1 << 20, 1 << 20], [1, 2, 3]);
        var path = _folder.Write("huge", gzip ? IdxFiles.Gzip(raw) : raw);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20);
        Assert.Contains("1048576×1048576", error.Message);
    }

    [Fact]
    public void An_idx_header_whose_sizes_overflow_is_refused()
    {
        var path = _folder.Write("overflow", IdxFiles.Bytes(0x0D, Enumerable.Repeat(int.MaxValue, 4).ToArray(), [1, 2, 3, 4]));
        Assert.Contains("more than one array can hold", Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)).Message);
    }

    private static readonly byte[] ValidCsv = Encoding.UTF8.GetBytes("a,b,\"c, quoted\",target\n1,2.5,-3e2,x\n4,5,6,y\n\"7\",8,9,x\n");

    [Property(MaxTest = Cases)]
    public void Csv_damaged_anywhere(NonNegativeInt position, byte xor, bool cut)
    {
        var bytes = Damage(ValidCsv, position.Get, xor, cut);
        ReadsOrRefuses(bytes.Length, () =>
        {
            using var data = TabularCsv.Read(new StringReader(Encoding.UTF8.GetString(bytes)));
            Assert.True(data.Features.isfinite().all().item<bool>());
        });
    }

    [Fact]
    public void A_csv_value_too_large_for_32_bits_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => TabularCsv.Read(new StringReader("a,target\n1e300,1\n")));
        Assert.Contains("line 2, column 'a': 1e300 is not a finite number in 32 bits", error.Message);
    }

    private static nn.Module<Tensor, Tensor> SmallModel()
    {
        using var generator = new Generator(5);
        var model = nn.Sequential(("fc1", nn.Linear(6, 5)), ("relu", nn.ReLU()), ("fc2", nn.Linear(5, 3)));
        using (no_grad())
            foreach (var p in model.parameters())
                p.copy_(randn(p.shape, generator: generator));
        return model;
    }

    private static List<float[]> Weights(nn.Module model) => model.state_dict().Values.Select(v => v.data<float>().ToArray()).ToList();

    /// <summary>Loads damaged copies of <paramref name="valid"/> into a pruned model: a correct load, or a refusal that leaves the model bit for bit as it was.</summary>
    private void LoadsOrLeavesTheModel(byte[] valid, int position, byte xor, bool cut, Action<nn.Module, string> load)
    {
        var bytes = Damage(valid, position, xor, cut);
        var path = _folder.Write("damaged.bin", bytes);
        using var model = SmallModel();
        Pruner.Unstructured(model, ["fc2.weight"], PruningAmount.Exactly(7), new MagnitudeCriterion(1));
        var before = Weights(model);
        var masksBefore = PruningMasks.Of(model).Select(m => m.Name).ToList();
        try
        {
            ReadsOrRefuses(bytes.Length, () => load(model, path));
        }
        finally
        {
            PruningMasks.Apply(model);
        }
        // A refusal leaves the model bit for bit as it was (its own mask on fc2); only a load that succeeded changes it, and
        // then wholly to what the file holds (the saved model's mask on fc1).
        if (PruningMasks.Of(model).Select(m => m.Name).SequenceEqual(masksBefore))
            Assert.True(Weights(model).Zip(before).All(p => p.First.SequenceEqual(p.Second)), "a refused load changed the weights");
        else
            Assert.Equal(["fc1.weight"], PruningMasks.Of(model).Select(m => m.Name));
    }

    private byte[] SavedModel()
    {
        using var model = SmallModel();
        Pruner.Unstructured(model, ["fc1.weight"], PruningAmount.Exactly(10), new MagnitudeCriterion(1));
        var path = Path.Combine(_folder.Path, "valid.model");
        ModelFile.Save(model, path);
        return File.ReadAllBytes(path);
    }

    [Property(MaxTest = Cases)]
    public void Model_file_damaged_anywhere(NonNegativeInt position, byte xor, bool cut) =>
        LoadsOrLeavesTheModel(_savedModel ??= SavedModel(), position.Get, xor, cut, ModelFile.Load);

    private byte[] SavedCheckpoint()
    {
        using var model = SmallModel();
        Pruner.Unstructured(model, ["fc1.weight"], PruningAmount.Exactly(10), new MagnitudeCriterion(1));
        var path = Path.Combine(_folder.Path, "valid.ckpt");
        using var generator = new Generator(1);
        using var train = new TensorDataset(randn([32, 6], generator: generator), randint(3, [32], generator: generator));
        new Trainer(new TrainerOptions(Epochs: 1, BatchSize: 16, CheckpointPath: path)).Fit(model, train);
        return File.ReadAllBytes(path);
    }

    [Property(MaxTest = Cases)]
    public void Checkpoint_damaged_anywhere(NonNegativeInt position, byte xor, bool cut) =>
        LoadsOrLeavesTheModel(_savedCheckpoint ??= SavedCheckpoint(), position.Get, xor, cut, CheckpointFile.LoadWeights);

    private byte[] SavedStateDict()
    {
        using var model = SmallModel();
        Pruner.Unstructured(model, ["fc1.weight"], PruningAmount.Exactly(10), new MagnitudeCriterion(1));
        var path = Path.Combine(_folder.Path, "valid.pt");
        PyTorchStateDict.Export(model, path);
        return File.ReadAllBytes(path);
    }

    [Property(MaxTest = Cases)]
    public void Pytorch_state_dict_damaged_anywhere(NonNegativeInt position, byte xor, bool cut) =>
        LoadsOrLeavesTheModel(_savedStateDict ??= SavedStateDict(), position.Get, xor, cut, PyTorchStateDict.Import);

    // The valid files, made once per test run.
    private static byte[]? _savedModel;
    private static byte[]? _savedCheckpoint;
    private static byte[]? _savedStateDict;
}
