using System.CommandLine;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Runtime;
using static TorchSharp.torch;

namespace PruneNotebook.Cli;

/// <summary>The options several verbs share, and what they resolve to.</summary>
internal static class CommonOptions
{
    public static Option<string> Model() => new("--model")
    {
        Description = $"Built-in architecture: {string.Join(", ", ModelZoo.Names)}.",
        Required = true,
    };

    public static Option<FileInfo?> Weights() => new("--weights")
    {
        Description = "Weights (and pruning masks) saved by 'train --save' or 'prune --save' (PruneNotebook's model file).",
    };

    public static Option<DirectoryInfo?> Data() => new("--data")
    {
        Description = $"Fashion-MNIST folder (IDX files); default ${FashionMnist.DirectoryVariable} or {FashionMnist.DefaultDirectory}.",
    };

    public static Option<int?> Limit() => new("--limit")
    {
        Description = "Use only the first N training and test images (quick runs).",
    };

    public static Option<FileInfo?> Save(string what) => new("--save")
    {
        Description = $"Write {what} here (atomically; the weights and the pruning masks).",
    };

    /// <summary>The architecture <paramref name="name"/>, with the weights of <paramref name="weights"/> when given.</summary>
    public static nn.Module<Tensor, Tensor> LoadModel(string name, FileInfo? weights)
    {
        var model = ModelZoo.Create(name, TorchDevice.Default);
        if (weights is not null)
            ModelFile.Load(model, weights.FullName);
        return model;
    }

    /// <summary>Fashion-MNIST on the default device.</summary>
    public static FashionMnist LoadData(DirectoryInfo? folder, int? limit)
    {
        if (limit is < 1)
            throw new ArgumentException($"--limit must be at least 1, got {limit}.");
        return FashionMnist.Load(folder?.FullName, TorchDevice.Default, limit: limit);
    }

    /// <summary>Checks before any work that <paramref name="file"/>'s folder exists, so a long run does not end in a failed save.</summary>
    public static void CheckWritable(FileInfo? file)
    {
        if (file is not null && file.Directory is { Exists: false } folder)
            throw new ArgumentException($"Cannot save to '{file}': folder '{folder.FullName}' does not exist.");
    }
}
