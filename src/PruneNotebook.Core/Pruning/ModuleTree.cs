using TorchSharp;
using TorchSharp.Modules;

namespace PruneNotebook.Core.Pruning;

/// <summary>Finds modules and parameters of a model by qualified name (<c>features.conv1.weight</c>).</summary>
internal static class ModuleTree
{
    public static IEnumerable<(string Path, torch.nn.Module Module)> Named(torch.nn.Module model)
    {
        yield return ("", model);
        foreach (var (path, module) in model.named_modules())
            if (!string.IsNullOrEmpty(path))
                yield return (path, module);
    }

    public static string Qualify(string path, string parameter) => string.IsNullOrEmpty(path) ? parameter : $"{path}.{parameter}";

    /// <summary>The module owning <paramref name="qualifiedName"/>, the parameter's local name, and the parameter.</summary>
    /// <exception cref="ArgumentException">No such parameter; the message lists a few that exist.</exception>
    public static (torch.nn.Module Module, string Parameter, Parameter Value) Resolve(torch.nn.Module model, string qualifiedName)
    {
        ArgumentNullException.ThrowIfNull(qualifiedName);
        var cut = qualifiedName.LastIndexOf('.');
        var path = cut < 0 ? "" : qualifiedName[..cut];
        var local = cut < 0 ? qualifiedName : qualifiedName[(cut + 1)..];
        var module = Named(model).Where(m => m.Path == path).Select(m => m.Module).FirstOrDefault();
        var parameter = module?.named_parameters(recurse: false).Where(p => p.name == local).Select(p => p.parameter).FirstOrDefault();
        if (module is null || parameter is null)
        {
            var known = model.named_parameters().Select(p => p.name).Take(8);
            throw new ArgumentException(
                $"{model.GetType().Name} has no parameter '{qualifiedName}': expected a qualified name such as {string.Join(", ", known)}.", nameof(qualifiedName));
        }
        return (module, local, parameter);
    }

    public static Parameter Parameter(torch.nn.Module module, string name) =>
        module.named_parameters(recurse: false).First(p => p.name == name).parameter;
}
