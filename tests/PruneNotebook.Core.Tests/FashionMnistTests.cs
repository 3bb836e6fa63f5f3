using PruneNotebook.Core.Data;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

[Collection(EnvironmentCollection.Name)]
public class FashionMnistTests
{
    private static void WriteSplit(IdxFiles.TempFolder folder, string prefix, int images, int labels, byte firstLabel = 3)
    {
        var pixels = new byte[images * 28 * 28];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)(i % 256);
        folder.Write($"{prefix}-images-idx3-ubyte.gz", IdxFiles.Gzip(IdxFiles.Bytes(0x08, [images, 28, 28], pixels)));
        var labelBytes = Enumerable.Range(0, labels).Select(i => (byte)((firstLabel + i) % 10)).ToArray();
        folder.Write($"{prefix}-labels-idx1-ubyte", IdxFiles.Bytes(0x08, [labels], labelBytes));
    }

    [Fact]
    public void Loads_hand_made_files_as_scaled_images_and_labels()
    {
        using var folder = new IdxFiles.TempFolder();
        WriteSplit(folder, "train", 3, 3);
        WriteSplit(folder, "t10k", 2, 2);
        using var data = FashionMnist.Load(folder.Path, CPU, normalize: false);
        Assert.Equal(3, data.Train.Count);
        Assert.Equal(2, data.Test.Count);
        Assert.Equal([1L, 28, 28], data.Train.ExampleShape);
        Assert.Equal([3L, 4, 5], data.Train.Labels.data<long>().ToArray());
        // Pixel 255 of the first image (index 255) is 255/255 = 1, pixel 1 is 1/255.
        var flat = data.Train.Features.reshape(-1);
        Assert.Equal(1f, flat[255].item<float>());
        Assert.Equal(1f / 255f, flat[1].item<float>(), 6);
    }

    [Fact]
    public void Normalises_with_the_dataset_mean_and_deviation()
    {
        using var folder = new IdxFiles.TempFolder();
        WriteSplit(folder, "train", 1, 1);
        WriteSplit(folder, "t10k", 1, 1);
        using var data = FashionMnist.Load(folder.Path, CPU, normalize: true);
        var zeroPixel = data.Train.Features.reshape(-1)[0].item<float>();
        Assert.Equal((0f - FashionMnist.PixelMean) / FashionMnist.PixelStd, zeroPixel, 5);
    }

    [Fact]
    public void Rejects_image_and_label_counts_that_differ()
    {
        using var folder = new IdxFiles.TempFolder();
        WriteSplit(folder, "train", 3, 2);
        WriteSplit(folder, "t10k", 2, 2);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(folder.Path, CPU));
        Assert.Contains("3 images but 2 labels", e.Message);
    }

    [Fact]
    public void Rejects_labels_outside_the_ten_classes()
    {
        using var folder = new IdxFiles.TempFolder();
        WriteSplit(folder, "train", 1, 1);
        folder.Write("train-labels-idx1-ubyte", IdxFiles.Bytes(0x08, [1], [12]));
        WriteSplit(folder, "t10k", 1, 1);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(folder.Path, CPU));
        Assert.Contains("label 12", e.Message);
    }

    [Fact]
    public void Says_how_to_get_the_data_when_the_folder_is_missing()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.Load("/nonexistent/fashion", CPU));
        Assert.Contains("dataset-fashion-mnist", e.Message);
        Assert.Contains(FashionMnist.DirectoryVariable, e.Message);
    }

    [Fact]
    public void Names_the_missing_file()
    {
        using var folder = new IdxFiles.TempFolder();
        WriteSplit(folder, "train", 1, 1);
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(folder.Path, CPU));
        Assert.Contains("t10k-images-idx3-ubyte", e.Message);
    }

    [Fact]
    public void The_environment_variable_overrides_the_default_folder_and_an_argument_overrides_both()
    {
        var previous = Environment.GetEnvironmentVariable(FashionMnist.DirectoryVariable);
        try
        {
            Environment.SetEnvironmentVariable(FashionMnist.DirectoryVariable, "/data/fmnist");
            Assert.Equal("/data/fmnist", FashionMnist.ResolveDirectory());
            Assert.Equal("/elsewhere", FashionMnist.ResolveDirectory("/elsewhere"));
            Environment.SetEnvironmentVariable(FashionMnist.DirectoryVariable, null);
            Assert.Equal(FashionMnist.DefaultDirectory, FashionMnist.ResolveDirectory());
        }
        finally
        {
            Environment.SetEnvironmentVariable(FashionMnist.DirectoryVariable, previous);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public class EnvironmentCollection
{
    public const string Name = "environment";
}
