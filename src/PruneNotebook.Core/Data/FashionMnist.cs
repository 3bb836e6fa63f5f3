using PruneNotebook.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Data;

/// <summary>
/// Fashion-MNIST (Xiao et al. 2017): 60,000 training and 10,000 test grey-scale 28×28 images of
/// 10 clothing classes, read from the four IDX files (gzip or raw) of the original distribution.
/// </summary>
public sealed class FashionMnist : IDisposable
{
    /// <summary>The environment variable that overrides <see cref="DefaultDirectory"/>.</summary>
    public const string DirectoryVariable = "PRUNENOTEBOOK_FASHION_MNIST";

    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Mean of the training pixels scaled to [0, 1], used for normalisation.</summary>
    public const float PixelMean = 0.2860f;

    /// <summary>Standard deviation of the training pixels scaled to [0, 1], used for normalisation.</summary>
    public const float PixelStd = 0.3530f;

    /// <summary>The class names, by label index.</summary>
    public static readonly IReadOnlyList<string> ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private FashionMnist(TensorDataset train, TensorDataset test, string directory)
    {
        Train = train;
        Test = test;
        Directory = directory;
    }

    /// <summary>The 60,000 training images as (N, 1, 28, 28) float32 and their labels.</summary>
    public TensorDataset Train { get; }

    /// <summary>The 10,000 test images as (N, 1, 28, 28) float32 and their labels.</summary>
    public TensorDataset Test { get; }

    /// <summary>The folder the files were read from.</summary>
    public string Directory { get; }

    /// <summary>
    /// The folder to read from: <paramref name="directory"/> if given, else the
    /// <see cref="DirectoryVariable"/> environment variable if set, else <see cref="DefaultDirectory"/>.
    /// </summary>
    public static string ResolveDirectory(string? directory = null)
    {
        if (!string.IsNullOrWhiteSpace(directory))
            return directory;
        var fromEnvironment = Environment.GetEnvironmentVariable(DirectoryVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultDirectory : fromEnvironment;
    }

    /// <summary>
    /// Loads both splits onto <paramref name="device"/> (default: <see cref="TorchDevice.Default"/>).
    /// Pixels are scaled to [0, 1] and, with <paramref name="normalize"/>, standardised with
    /// <see cref="PixelMean"/> and <see cref="PixelStd"/>.
    /// </summary>
    /// <param name="directory">Folder holding <c>train-images-idx3-ubyte[.gz]</c> and the three other files.</param>
    /// <param name="device">Device for the tensors.</param>
    /// <param name="normalize">Standardise pixels (recommended for training).</param>
    /// <param name="limit">Read at most this many examples of each split (for quick experiments).</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist (names the folder and how to install the data).</exception>
    /// <exception cref="FileNotFoundException">One of the four files is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or images and labels disagree in count or shape.</exception>
    public static FashionMnist Load(string? directory = null, Device? device = null, bool normalize = true, int? limit = null)
    {
        var folder = ResolveDirectory(directory);
        if (!System.IO.Directory.Exists(folder))
            throw new DirectoryNotFoundException(
                $"Fashion-MNIST folder '{folder}' does not exist: install Debian's dataset-fashion-mnist package, pass a folder, or set {DirectoryVariable}.");
        if (limit is <= 0)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be at least 1 example.");
        device ??= TorchDevice.Default;
        var train = LoadSplit(folder, "train", device, normalize, limit);
        try
        {
            var test = LoadSplit(folder, "t10k", device, normalize, limit);
            return new FashionMnist(train, test, folder);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    private static TensorDataset LoadSplit(string folder, string prefix, Device device, bool normalize, int? limit)
    {
        var images = IdxReader.Read(FindFile(folder, $"{prefix}-images-idx3-ubyte"));
        var labels = IdxReader.Read(FindFile(folder, $"{prefix}-labels-idx1-ubyte"));
        if (images.Bytes is null || images.Dimensions.Count != 3)
            throw new InvalidDataException($"{prefix} images: expected unsigned bytes of shape (N, rows, columns), got {images.ElementType} of rank {images.Dimensions.Count}.");
        if (labels.Bytes is null || labels.Dimensions.Count != 1)
            throw new InvalidDataException($"{prefix} labels: expected unsigned bytes of shape (N), got {labels.ElementType} of rank {labels.Dimensions.Count}.");
        if (images.Count != labels.Count)
            throw new InvalidDataException($"{prefix}: {images.Count} images but {labels.Count} labels; the counts must match.");
        var outOfRange = Array.FindIndex(labels.Bytes, b => b >= ClassNames.Count);
        if (outOfRange >= 0)
            throw new InvalidDataException($"{prefix} labels: label {labels.Bytes[outOfRange]} at index {outOfRange} is outside 0..{ClassNames.Count - 1}.");

        var count = Math.Min(images.Count, limit ?? int.MaxValue);
        var rows = images.Dimensions[1];
        var columns = images.Dimensions[2];
        using var scope = NewDisposeScope();
        var pixels = tensor(images.Bytes.AsSpan(0, count * rows * columns).ToArray(), [count, 1, rows, columns], ScalarType.Byte);
        var x = pixels.to(device).to_type(ScalarType.Float32).div_(255f);
        if (normalize)
            x = x.sub_(PixelMean).div_(PixelStd);
        var y = tensor(labels.Bytes.AsSpan(0, count).ToArray(), [count], ScalarType.Byte).to(device).to_type(ScalarType.Int64);
        return new TensorDataset(x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope(), ClassNames);
    }

    private static string FindFile(string folder, string stem)
    {
        foreach (var name in new[] { stem + ".gz", stem })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
                return path;
        }
        throw new FileNotFoundException($"Fashion-MNIST file '{stem}.gz' (or '{stem}') is missing from '{folder}'.", Path.Combine(folder, stem + ".gz"));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
