using System.CommandLine;
using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Recipes;
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

    public static Option<string?> Data() => new("--data")
    {
        Description = $"{DataRecipeStep.FashionMnistName} (images, for the image models; default folder ${FashionMnist.DirectoryVariable} or {FashionMnist.DefaultDirectory}), "
            + $"{DataRecipeStep.FortunesName} (text, for chargpt; {FortunesCorpus.DefaultDirectory}), or a folder of the kind the model reads.",
    };

    public static Option<int?> Limit() => new("--limit")
    {
        Description = "Use only the first N training and test images, or training and validation windows of text (quick runs).",
    };

    public static Option<int?> Context() => new("--context")
    {
        Description = $"Characters per window of text data (default {DataRecipeStep.DefaultContext}; at most the model's context).",
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

    /// <summary>Fashion-MNIST on the default device, from what <c>--data</c> names (the name or a folder; default the default folder).</summary>
    /// <exception cref="ArgumentException">A bad limit, or text named where images are needed.</exception>
    public static FashionMnist LoadData(string? data, int? limit)
    {
        if (limit is < 1)
            throw new ArgumentException($"--limit must be at least 1, got {limit}.");
        return FashionMnist.Load(ImageFolder(data), TorchDevice.Default, limit: limit);
    }

    /// <summary>The Fashion-MNIST folder <c>--data</c> names, or <c>null</c> for the default folder.</summary>
    /// <exception cref="ArgumentException"><c>--data fortunes</c>: this verb works on images.</exception>
    public static string? ImageFolder(string? data)
    {
        if (CliData.Is(data, DataRecipeStep.FortunesName))
            throw new ArgumentException($"--data {DataRecipeStep.FortunesName} is text, for chargpt's train, prune and evaluate: this verb works on images (--data {DataRecipeStep.FashionMnistName} or a Fashion-MNIST folder).");
        return data is null || CliData.Is(data, DataRecipeStep.FashionMnistName) ? null : Path.GetFullPath(data.Trim());
    }

    /// <summary>
    /// Refuses a model that reads text (chargpt) for a verb that measures test accuracy on images: one line saying what
    /// to use instead.
    /// </summary>
    /// <param name="modelName">The <c>--model</c> value.</param>
    /// <param name="what">What the verb measures on images, e.g. <c>sensitivity measures test accuracy</c>.</param>
    public static void RefuseTextModel(string modelName, string what)
    {
        using var probe = ModelZoo.Create(modelName, CPU);
        if (InputShapes.ReadsTokens(probe))
            throw new ArgumentException($"{what} on Fashion-MNIST images, and --model {modelName} reads text: evaluate it with 'prunenotebook evaluate --data {DataRecipeStep.FortunesName}'.");
    }

    /// <summary>Checks before any work that <paramref name="file"/>'s folder exists, so a long run does not end in a failed save.</summary>
    public static void CheckWritable(FileInfo? file)
    {
        if (file is not null && file.Directory is { Exists: false } folder)
            throw new ArgumentException($"Cannot save to '{file}': folder '{folder.FullName}' does not exist.");
    }
}

/// <summary>
/// <c>--model</c>, <c>--weights</c>, <c>--data</c>, <c>--limit</c> and <c>--context</c>: the model a verb loads and the data
/// it reads, images or text (<see cref="CliData"/>); the same five on every verb that may read either.
/// </summary>
internal sealed class ModelDataOptions
{
    public Option<string> Model { get; } = CommonOptions.Model();

    public Option<FileInfo?> Weights { get; } = CommonOptions.Weights();

    public Option<string?> Data { get; } = CommonOptions.Data();

    public Option<int?> Limit { get; } = CommonOptions.Limit();

    public Option<int?> Context { get; } = CommonOptions.Context();

    /// <summary>Puts the five first among <paramref name="command"/>'s options, where help lists them.</summary>
    public void AddTo(Command command)
    {
        Option[] all = [Model, Weights, Data, Limit, Context];
        for (var i = 0; i < all.Length; i++)
            command.Options.Insert(i, all[i]);
    }
}
