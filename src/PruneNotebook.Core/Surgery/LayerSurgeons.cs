using System.Collections.Concurrent;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// The registry of <see cref="LayerSurgeon"/>s by exact module type. Linear, Conv2d (dense and depthwise), BatchNorm1d,
/// BatchNorm2d, LayerNorm, Embedding and <see cref="Models.PositionalEmbedding"/> are registered from the start; register a surgeon for a custom layer type before compressing a model that has it.
/// </summary>
public static class LayerSurgeons
{
    private static readonly ConcurrentDictionary<Type, LayerSurgeon> Registered = new(
    [
        Entry(new LinearSurgeon()), Entry(new Conv2dSurgeon()), Entry(new BatchNorm1dSurgeon()), Entry(new BatchNorm2dSurgeon()),
        Entry(new LayerNormSurgeon()), Entry(new EmbeddingSurgeon()), Entry(new PositionalEmbeddingSurgeon()),
    ]);

    /// <summary>Registers (or replaces) the surgeon for its <see cref="LayerSurgeon.ModuleType"/>.</summary>
    /// <param name="surgeon">The surgeon.</param>
    public static void Register(LayerSurgeon surgeon)
    {
        ArgumentNullException.ThrowIfNull(surgeon);
        Registered[surgeon.ModuleType] = surgeon;
    }

    /// <summary>The surgeon for <paramref name="module"/>'s exact type, or <c>null</c> when none is registered.</summary>
    /// <param name="module">A module.</param>
    public static LayerSurgeon? For(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return Registered.TryGetValue(module.GetType(), out var surgeon) ? surgeon : null;
    }

    /// <summary>The module types that have a surgeon.</summary>
    public static IReadOnlyList<Type> Types => Registered.Keys.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    private static KeyValuePair<Type, LayerSurgeon> Entry(LayerSurgeon surgeon) => new(surgeon.ModuleType, surgeon);
}
