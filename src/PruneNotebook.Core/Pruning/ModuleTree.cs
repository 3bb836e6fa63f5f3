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
    /// The layers TorchSharp runs natively (nn.TransformerEncoderLayer, nn.MultiheadAttention, nn.LSTM): registered
    /// modules that hold weights of inner layers they do not register as modules. For each parameter whose own layer is
    /// not a registered module, the nearest registered module above it; the model itself is not counted. One pass over
    /// the parameters.
    /// </summary>
    public static IReadOnlyList<(string Path, torch.nn.Module Module)> Native(torch.nn.Module model)
    {
        var modules = Named(model).ToDictionary(m => m.Path, m => m.Module);
        var native = new List<(string Path, torch.nn.Module Module)>();
        foreach (var (name, _) in model.named_parameters())
        {
            var owner = name.Contains('.', StringComparison.Ordinal) ? name[..name.LastIndexOf('.')] : "";
            if (modules.ContainsKey(owner))
                continue;
            while (!modules.ContainsKey(owner))
                owner = owner.Contains('.', StringComparison.Ordinal) ? owner[..owner.LastIndexOf('.')] : "";
            if (owner.Length > 0 && !native.Any(n => n.Path == owner))
                native.Add((owner, modules[owner]));
        }
        return native;
    }

    /// <summary>
    /// The native layer (<see cref="Native"/>) that <paramref name="path"/> names, or that holds parameters under
    /// <paramref name="path"/>; null when <paramref name="path"/> is an ordinary module or unknown.
    /// </summary>
    public static (string Path, torch.nn.Module Module)? Opaque(torch.nn.Module model, string path)
    {
        if (path.Length == 0 || !model.named_parameters().Any(p => p.name.StartsWith(path + ".", StringComparison.Ordinal)))
            return null;
        return Native(model).Where(n => n.Path == path || path.StartsWith(n.Path + ".", StringComparison.Ordinal))
            .Select(n => ((string, torch.nn.Module)?)n).FirstOrDefault();
    }

    /// <summary>One line: the <paramref name="kind"/> <paramref name="name"/> is or lies inside a native layer whose inner layers cannot be masked, and what to do.</summary>
    public static string OpaqueMessage(torch.nn.Module model, string kind, string name, (string Path, torch.nn.Module Module) owner) =>
        $"{model.GetType().Name}'s {kind} '{name}' {(name == owner.Path ? "is" : $"lies inside '{owner.Path}',")} a {owner.Module.GetType().Name}, which TorchSharp "
        + "runs natively without its inner layers as modules, so they cannot be masked or hooked: build that part from modules "
        + "(nn.Linear, nn.LayerNorm, PruneNotebook's TransformerBlock) or prune other layers.";

    public static Parameter Parameter(torch.nn.Module module, string name) =>
        module.named_parameters(recurse: false).First(p => p.name == name).parameter;
}
