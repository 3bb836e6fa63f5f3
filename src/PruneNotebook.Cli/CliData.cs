using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Recipes;
using PruneNotebook.Core.Runtime;
using static TorchSharp.torch;

namespace PruneNotebook.Cli;

/// <summary>
/// What <c>--data</c> names for a model, loaded: Fashion-MNIST for the image models, the fortunes text for a model that
/// reads characters (CharGpt). <c>--data fashion-mnist</c> and <c>--data fortunes</c> name the default folders, any
/// other value a folder of the kind the model reads; without <c>--data</c>, the default folder of that kind.
/// </summary>
internal sealed class CliData : IDisposable
{
    private CliData(FashionMnist? images, FortunesCorpus? text)
    {
        Images = images;
        Text = text;
    }

    /// <summary>The images, or <c>null</c> for text.</summary>
    public FashionMnist? Images { get; }

    /// <summary>The text, or <c>null</c> for images.</summary>
    public FortunesCorpus? Text { get; }

    /// <summary>
    /// Checks <c>--data</c>, <c>--limit</c> and <c>--context</c> against what <paramref name="model"/> reads, before
    /// anything is loaded.
    /// </summary>
    /// <returns>Whether the data is text.</returns>
    /// <exception cref="ArgumentException">Text for an image model or the reverse, a bad limit, or a context the model cannot read; one line.</exception>
    public static bool Check(nn.Module model, string modelName, string? data, int? limit, int? context)
    {
        if (limit is < 1)
            throw new ArgumentException($"--limit must be at least 1, got {limit}.");
        var text = InputShapes.ReadsTokens(model);
        var named = data?.Trim();
        if (text && Is(named, DataRecipeStep.FashionMnistName))
            throw new ArgumentException($"--model {modelName} reads text and --data {DataRecipeStep.FashionMnistName} is images: use --data {DataRecipeStep.FortunesName} or a fortunes folder.");
        if (!text && Is(named, DataRecipeStep.FortunesName))
            throw new ArgumentException($"--model {modelName} classifies images and --data {DataRecipeStep.FortunesName} is text: use --data {DataRecipeStep.FashionMnistName} or a Fashion-MNIST folder, or --model chargpt.");
        if (context is not null && !text)
            throw new ArgumentException($"--context is the window length of text data, and --model {modelName} classifies images: drop --context.");
        if (context is < 1)
            throw new ArgumentException($"--context must be at least 1 character, got {context}.");
        var longest = text && model is IKnowsInputShape known ? known.ExampleShape[0] : long.MaxValue;
        if (context > longest)
            throw new ArgumentException($"--context {context} is longer than --model {modelName} reads ({longest} characters): use at most {longest}.");
        return text;
    }

    /// <summary>Loads what <paramref name="data"/> names for <paramref name="model"/> (after <see cref="Check"/>) on the default device.</summary>
    public static CliData Load(nn.Module model, string modelName, string? data, int? limit, int? context)
    {
        if (!Check(model, modelName, data, limit, context))
            return new CliData(CommonOptions.LoadData(data, limit), null);
        var named = data?.Trim();
        var folder = named is null || Is(named, DataRecipeStep.FortunesName) ? null : Path.GetFullPath(named);
        return new CliData(null, FortunesCorpus.Load(folder, context ?? DataRecipeStep.DefaultContext, limit, TorchDevice.Default, limit));
    }

    /// <summary>Whether <paramref name="value"/> is the data name <paramref name="name"/>.</summary>
    public static bool Is(string? value, string name) => string.Equals(value?.Trim(), name, StringComparison.OrdinalIgnoreCase);

    public void Dispose()
    {
        Images?.Dispose();
        Text?.Dispose();
    }
}
