using PruneNotebook.Core.Models;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Experiments;

/// <summary>Which built-in architecture a model instance is, so worker processes can rebuild it by name.</summary>
internal static class ZooModels
{
    /// <summary>The <see cref="ModelZoo"/> name of <paramref name="model"/>: the same type with parameters of the same names and shapes.</summary>
    /// <exception cref="ArgumentException">No built-in architecture matches (the message says what can be used instead).</exception>
    public static string NameOf(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var shapes = Shapes(model);
        foreach (var name in ModelZoo.Names)
        {
            using var candidate = ModelZoo.Create(name, CPU);
            if (candidate.GetType() == model.GetType() && Shapes(candidate).SequenceEqual(shapes))
                return name;
        }
        throw new ArgumentException(
            $"Worker processes rebuild models by name, and {model.GetType().Name} is not a built-in architecture with its default shape ({string.Join(", ", ModelZoo.Names)}): use one of those, or run the study in process.");
    }

    private static List<string> Shapes(nn.Module model) =>
        model.named_parameters().Select(p => $"{p.name}:{string.Join('x', p.parameter.shape)}").ToList();
}
