using static TorchSharp.torch;

namespace PruneNotebook.Core.Models;

/// <summary>The built-in models by name, for command lines and magic commands.</summary>
public static class ModelZoo
{
    private static readonly Dictionary<string, Func<Device?, nn.Module<Tensor, Tensor>>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["lenet5"] = device => new LeNet5(device: device),
        ["lenet300-100"] = device => new LeNet300_100(device: device),
        ["vgg"] = device => new VggNet(device: device),
        ["resnet20"] = device => new ResNet20(device: device),
        ["tinyvit"] = device => new TinyViT(device: device),
    };

    /// <summary>The names <see cref="Create"/> understands, lower case.</summary>
    public static IReadOnlyList<string> Names => Factories.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>A new model called <paramref name="name"/> (case-insensitive) with fresh weights, on <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static nn.Module<Tensor, Tensor> Create(string name, Device? device = null) =>
        Factories.TryGetValue(name?.Trim() ?? "", out var create)
            ? create(device)
            : throw new ArgumentException($"Unknown model '{name}': expected one of {string.Join(", ", Names)}.", nameof(name));
}
