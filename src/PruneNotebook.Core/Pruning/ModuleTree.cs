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
            if (Opaque(model, path) is { } owner)
                throw new ArgumentException(OpaqueMessage(model, "parameter", qualifiedName, owner), nameof(qualifiedName));
            var known = model.named_parameters().Select(p => p.name).Take(8);
            throw new ArgumentException(
                $"{model.GetType().Name} has no parameter '{qualifiedName}': expected a qualified name such as {string.Join(", ", known)}.", nameof(qualifiedName));
        }
        return (module, local, parameter);
    }

    /// <summary>
    /// The module whose parameters include some under <paramref name="path"/> although no module is registered at that
    /// path: a layer TorchSharp runs natively (nn.TransformerEncoderLayer, nn.MultiheadAttention, nn.LSTM) that holds its
    /// inner layers' weights without exposing them as modules (that layer itself when <paramref name="path"/> names it).
    /// Null when <paramref name="path"/> is an ordinary module or unknown.
    /// </summary>
    public static (string Path, torch.nn.Module Module)? Opaque(torch.nn.Module model, string path)
    {
        if (path.Length == 0 || !model.named_parameters().Any(p => p.name.StartsWith(path + ".", StringComparison.Ordinal)))
            return null;
        if (Named(model).FirstOrDefault(m => m.Path == path).Module is { } registered)
        {
            // Registered itself, but holding weights of inner layers it does not register (the native layer named directly).
            var inner = registered.named_modules().Select(m => m.name).Where(n => n.Length > 0).ToHashSet();
            return registered.named_parameters().Any(p => p.name.Contains('.', StringComparison.Ordinal) && !inner.Contains(p.name[..p.name.LastIndexOf('.')]))
                ? (path, registered)
                : null;
        }
        return Named(model).Where(m => m.Path.Length > 0 && path.StartsWith(m.Path + ".", StringComparison.Ordinal))
            .OrderByDescending(m => m.Path.Length).Select(m => ((string, torch.nn.Module)?)m).FirstOrDefault();
    }

    /// <summary>One line: the <paramref name="kind"/> <paramref name="name"/> is or lies inside a native layer whose inner layers cannot be masked, and what to do.</summary>
    public static string OpaqueMessage(torch.nn.Module model, string kind, string name, (string Path, torch.nn.Module Module) owner) =>
        $"{model.GetType().Name}'s {kind} '{name}' {(name == owner.Path ? "is" : $"lies inside '{owner.Path}',")} a {owner.Module.GetType().Name}, which TorchSharp "
        + "runs natively without its inner layers as modules, so they cannot be masked or hooked: build that part from modules "
        + "(nn.Linear, nn.LayerNorm, PruneNotebook's TransformerBlock) or prune other layers.";

    public static Parameter Parameter(torch.nn.Module module, string name) =>
        module.named_parameters(recurse: false).First(p => p.name == name).parameter;
}
