using System.Collections;
using System.Reflection;
using PruneNotebook.Core.Pruning;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Puts a new module in the place of an old one inside its parent. TorchSharp modules call their children through
/// C# fields (or Sequential's and ModuleList's lists), while <c>named_modules</c> and <c>state_dict</c> read the
/// registered children: both are replaced. Every swap is checked first, so a refusal changes nothing.
/// </summary>
internal static class ModuleSwap
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>Why <paramref name="replacement"/> cannot take the place of module <paramref name="path"/>, or <c>null</c>.</summary>
    public static string? CannotReplace(nn.Module model, string path, Type replacement)
    {
        var (parent, local, old) = Locate(model, path);
        if (parent is null)
            return "it is the model itself";
        if (parent is Sequential)
            return typeof(nn.IModule<Tensor, Tensor>).IsAssignableFrom(replacement) ? null : $"Sequential '{Parent(path)}' holds only Module<Tensor, Tensor> layers";
        if (ElementTypeOf(parent) is { } element)
            return element.IsAssignableFrom(replacement) ? null : $"its ModuleList holds {element.Name} only";
        var fields = FieldsHolding(parent, old).ToList();
        if (fields.Count == 0)
            return $"{parent.GetType().Name} does not keep '{local}' in a field, so its forward cannot be redirected";
        var typed = fields.FirstOrDefault(f => !f.FieldType.IsAssignableFrom(replacement));
        return typed is null ? null : $"{parent.GetType().Name}.{typed.Name} is declared as {typed.FieldType.Name} and cannot hold a {replacement.Name}";
    }

    /// <summary>Replaces module <paramref name="path"/> by <paramref name="replacement"/> (check with <see cref="CannotReplace"/> first).</summary>
    public static void Replace(nn.Module model, string path, nn.Module replacement)
    {
        var (parent, local, old) = Locate(model, path);
        var reason = CannotReplace(model, path, replacement.GetType());
        if (parent is null || reason is not null)
            throw new InvalidOperationException($"Cannot replace '{path}': {reason}.");
        if (parent is Sequential)
        {
            var modules = (IList)typeof(Sequential).GetField("_modules", Instance)!.GetValue(parent)!;
            modules[IndexOf(modules, old)] = replacement;
        }
        else if (ElementTypeOf(parent) is not null)
        {
            var items = parent.GetType().GetProperty("Item")!;
            var count = (int)parent.GetType().GetProperty("Count")!.GetValue(parent)!;
            var index = Enumerable.Range(0, count).First(i => ReferenceEquals(items.GetValue(parent, [i]), old));
            items.SetValue(parent, replacement, [index]);
        }
        var names = new List<string> { local };
        if (parent is not Sequential && ElementTypeOf(parent) is null)
        {
            foreach (var field in FieldsHolding(parent, old))
                field.SetValue(parent, replacement);
            // Every field holding the old module now holds the replacement: so does every name it was registered under.
            var registered = Registered(parent);
            names = registered.Keys.Where(name => ReferenceEquals(registered[name], old)).ToList();
        }
        // The registered children (named_modules, state_dict) of a Sequential are its list; of other modules, this dictionary.
        if (parent is not Sequential)
        {
            var registered = Registered(parent);
            foreach (var name in names)
                registered[name] = replacement;
        }
        // The masks' hooks follow the modules now in the model.
        PruningMasks.Sync(model);
    }

    /// <summary>Every name under which <paramref name="module"/> is registered in <paramref name="model"/> (a module can be registered more than once).</summary>
    public static IReadOnlyList<string> PathsOf(nn.Module model, nn.Module module) =>
        ModuleTree.Named(model).Where(m => ReferenceEquals(m.Module, module)).Select(m => m.Path).ToList();

    /// <summary>Why <paramref name="replacement"/> cannot take every place of <paramref name="module"/> (see <see cref="CannotReplace"/>), or <c>null</c>.</summary>
    public static string? CannotReplaceEverywhere(nn.Module model, nn.Module module, Type replacement) =>
        PathsOf(model, module).Select(path => CannotReplace(model, path, replacement)).FirstOrDefault(reason => reason is not null);

    /// <summary>Puts <paramref name="replacement"/> in every place <paramref name="old"/> is registered (check with <see cref="CannotReplaceEverywhere"/> first).</summary>
    public static void ReplaceEverywhere(nn.Module model, nn.Module old, nn.Module replacement)
    {
        foreach (var path in PathsOf(model, old))
            if (ModuleTree.Named(model).Any(m => m.Path == path && ReferenceEquals(m.Module, old)))
                Replace(model, path, replacement);
    }

    private static IDictionary<string, nn.Module> Registered(nn.Module parent) =>
        (IDictionary<string, nn.Module>)typeof(nn.Module).GetField("_internal_submodules", Instance)!.GetValue(parent)!;

    private static (nn.Module? Parent, string Local, nn.Module Old) Locate(nn.Module model, string path)
    {
        var modules = ModuleTree.Named(model).ToDictionary(m => m.Path, m => m.Module);
        if (!modules.TryGetValue(path, out var old))
            throw new ArgumentException($"{model.GetType().Name} has no module '{path}'.", nameof(path));
        if (path.Length == 0)
            return (null, "", old);
        var cut = path.LastIndexOf('.');
        return (modules[Parent(path)], cut < 0 ? path : path[(cut + 1)..], old);
    }

    private static string Parent(string path) => path.LastIndexOf('.') is var cut && cut < 0 ? "" : path[..cut];

    private static Type? ElementTypeOf(nn.Module parent) =>
        parent.GetType().IsGenericType && parent.GetType().GetGenericTypeDefinition() == typeof(ModuleList<>) ? parent.GetType().GetGenericArguments()[0] : null;

    private static IEnumerable<FieldInfo> FieldsHolding(nn.Module parent, nn.Module old)
    {
        for (var type = parent.GetType(); type is not null && type != typeof(nn.Module); type = type.BaseType)
            foreach (var field in type.GetFields(Instance | BindingFlags.DeclaredOnly))
                if (typeof(nn.Module).IsAssignableFrom(field.FieldType) || field.FieldType.IsInterface)
                    if (ReferenceEquals(field.GetValue(parent), old))
                        yield return field;
    }

    private static int IndexOf(IList list, object item)
    {
        for (var i = 0; i < list.Count; i++)
            if (ReferenceEquals(list[i], item))
                return i;
        throw new InvalidOperationException("The module is registered but not in its container's list.");
    }
}
