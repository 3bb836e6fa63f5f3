using System.Runtime.CompilerServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>
/// The pruning masks of a model, kept beside its modules (not inside them, so the model's own
/// <c>state_dict</c> and TorchSharp serialisation are unchanged). A mask has the parameter's shape and
/// dtype, 1 for kept and 0 for pruned entries; the parameter itself holds exact zeros where the mask is 0.
/// Masks follow the module when it moves between devices.
/// </summary>
public static class PruningMasks
{
    private static readonly ConditionalWeakTable<nn.Module, Dictionary<string, Entry>> Table = new();

    internal sealed class Entry(Tensor mask, Tensor original) : IDisposable
    {
        public Tensor Mask { get; set; } = mask;
        /// <summary>The parameter's values when it was first pruned (for <see cref="Reset"/>).</summary>
        public Tensor Original { get; } = original;

        public void Dispose()
        {
            Mask.Dispose();
            Original.Dispose();
        }
    }

    /// <summary>Every masked parameter of <paramref name="model"/>: qualified name and its mask.</summary>
    public static IReadOnlyList<(string Name, Tensor Mask)> Of(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Entries(model).Select(e => (e.Name, e.Mask)).ToList();
    }

    /// <summary>The mask of parameter <paramref name="name"/> (e.g. <c>fc1.weight</c>), or <c>null</c> if it is not pruned.</summary>
    public static Tensor? Get(nn.Module model, string name)
    {
        var (module, parameter, _) = ModuleTree.Resolve(model, name);
        return Table.TryGetValue(module, out var entries) && entries.TryGetValue(parameter, out var entry) ? entry.Mask : null;
    }

    /// <summary>Whether <paramref name="model"/> has any pruning mask.</summary>
    public static bool Any(nn.Module model) => Of(model).Count > 0;

    /// <summary>
    /// The masked parameters with masks on each parameter's device, for re-applying after optimizer steps:
    /// <c>parameter.mul_(mask)</c>. Resolve again after moving the model (moving replaces parameters).
    /// </summary>
    public static IReadOnlyList<(Parameter Parameter, Tensor Mask)> Bindings(nn.Module model)
    {
        var bindings = new List<(Parameter, Tensor)>();
        foreach (var (_, module) in ModuleTree.Named(model))
        {
            if (!Table.TryGetValue(module, out var entries))
                continue;
            foreach (var (parameterName, entry) in entries)
            {
                var parameter = ModuleTree.Parameter(module, parameterName);
                if (!SameDevice(entry.Mask, parameter))
                {
                    var moved = entry.Mask.to(parameter.device).DetachFromDisposeScope();
                    entry.Mask.Dispose();
                    entry.Mask = moved;
                }
                bindings.Add((parameter, entry.Mask));
            }
        }
        return bindings;
    }

    /// <summary>Sets every masked entry of <paramref name="model"/> back to exactly zero (after training steps or manual edits).</summary>
    public static void Apply(nn.Module model) => Apply(Bindings(model));

    /// <summary>Multiplies each parameter by its mask in place: the step a trainer repeats with <see cref="Bindings"/> it resolved once.</summary>
    public static void Apply(IReadOnlyList<(Parameter Parameter, Tensor Mask)> bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        if (bindings.Count == 0)
            return;
        using var noGrad = no_grad();
        foreach (var (parameter, mask) in bindings)
            parameter.mul_(mask);
    }

    /// <summary>
    /// Makes pruning permanent (PyTorch's <c>prune.remove</c>): forgets the masks of <paramref name="name"/> (or of every
    /// parameter when <c>null</c>); the zeros stay in the weights but training may now change them.
    /// </summary>
    /// <returns>The number of masks removed.</returns>
    public static int MakePermanent(nn.Module model, string? name = null) => Drop(model, name, restore: false);

    /// <summary>
    /// Undoes pruning of <paramref name="name"/> (or of every parameter when <c>null</c>): pruned entries get back the
    /// values they had before they were first pruned, kept entries keep their current values, and the masks are dropped.
    /// </summary>
    /// <returns>The number of masks reset.</returns>
    public static int Reset(nn.Module model, string? name = null) => Drop(model, name, restore: true);

    /// <summary>
    /// Records <paramref name="mask"/> (composed already) for a parameter, taking ownership of it, and zeroes the pruned
    /// entries. The values kept for <see cref="Reset"/> are <paramref name="original"/> when given (also owned), else
    /// a copy of the parameter taken when it is first pruned.
    /// </summary>
    internal static void Commit(nn.Module owner, string parameterName, Tensor mask, Tensor? original = null)
    {
        var parameter = ModuleTree.Parameter(owner, parameterName);
        var entries = Table.GetOrCreateValue(owner);
        var converted = Own(mask, parameter);
        if (entries.TryGetValue(parameterName, out var entry) && original is null)
        {
            entry.Mask.Dispose();
            entry.Mask = converted;
        }
        else
        {
            entry?.Dispose();
            entries[parameterName] = new Entry(converted, original is null ? parameter.detach().clone().DetachFromDisposeScope() : Own(original, parameter));
        }
        using var noGrad = no_grad();
        parameter.mul_(converted);
    }

    /// <summary><paramref name="tensor"/> in the parameter's dtype and device, detached from dispose scopes; a converted input is disposed.</summary>
    private static Tensor Own(Tensor tensor, Tensor parameter)
    {
        var converted = tensor.dtype == parameter.dtype && SameDevice(tensor, parameter) ? tensor : tensor.to_type(parameter.dtype).to(parameter.device);
        if (!ReferenceEquals(converted, tensor))
            tensor.Dispose();
        return converted.DetachFromDisposeScope();
    }

    /// <summary>Every mask with the values its parameter had before pruning, for saving: (qualified name, mask, original).</summary>
    internal static IReadOnlyList<(string Name, Tensor Mask, Tensor Original)> Entries(nn.Module model)
    {
        var found = new List<(string, Tensor, Tensor)>();
        foreach (var (path, module) in ModuleTree.Named(model))
        {
            if (!Table.TryGetValue(module, out var entries))
                continue;
            foreach (var (parameter, entry) in entries)
                found.Add((ModuleTree.Qualify(path, parameter), entry.Mask, entry.Original));
        }
        return found;
    }

    /// <summary>
    /// Replaces every mask of <paramref name="model"/> with the loaded ones: (qualified name, mask, values before pruning).
    /// The weights were just loaded; the masked entries are zeroed again. The inputs are copied, not owned.
    /// </summary>
    internal static void ReplaceAll(nn.Module model, IEnumerable<(string Name, Tensor Mask, Tensor Original)> loaded)
    {
        foreach (var (_, module) in ModuleTree.Named(model))
        {
            if (!Table.TryGetValue(module, out var entries))
                continue;
            foreach (var entry in entries.Values)
                entry.Dispose();
            entries.Clear();
        }
        foreach (var (name, mask, original) in loaded)
        {
            var (module, parameterName, _) = ModuleTree.Resolve(model, name);
            Commit(module, parameterName, mask.clone(), original.clone());
        }
    }

    /// <summary>
    /// Moves the masks of <paramref name="from"/> to <paramref name="to"/>, a rebuilt copy of it (network surgery):
    /// <paramref name="slice"/> maps a local parameter name and a tensor of the old parameter's shape to the new shape.
    /// </summary>
    internal static void Transfer(nn.Module from, nn.Module to, Func<string, Tensor, Tensor> slice)
    {
        if (!Table.TryGetValue(from, out var entries) || entries.Count == 0)
            return;
        foreach (var (parameterName, entry) in entries.ToList())
        {
            Commit(to, parameterName, slice(parameterName, entry.Mask), slice(parameterName, entry.Original));
            entry.Dispose();
        }
        entries.Clear();
    }

    /// <summary>The current mask of a parameter, or a tensor of ones when it is not pruned yet (caller disposes).</summary>
    internal static Tensor CurrentOrOnes(nn.Module owner, string parameterName, Tensor parameter) =>
        Table.TryGetValue(owner, out var entries) && entries.TryGetValue(parameterName, out var entry)
            ? entry.Mask.to(parameter.device).clone()
            : ones_like(parameter);

    private static int Drop(nn.Module model, string? name, bool restore)
    {
        ArgumentNullException.ThrowIfNull(model);
        var targets = new List<(nn.Module Module, string Parameter)>();
        if (name is null)
        {
            foreach (var (_, module) in ModuleTree.Named(model))
                if (Table.TryGetValue(module, out var entries))
                    targets.AddRange(entries.Keys.Select(p => (module, p)));
        }
        else
        {
            var (module, parameter, _) = ModuleTree.Resolve(model, name);
            if (!Table.TryGetValue(module, out var entries) || !entries.ContainsKey(parameter))
                throw new InvalidOperationException($"Parameter '{name}' is not pruned, so there is no mask to {(restore ? "reset" : "make permanent")}.");
            targets.Add((module, parameter));
        }
        foreach (var (module, parameterName) in targets)
        {
            var entries = Table.GetOrCreateValue(module);
            var entry = entries[parameterName];
            if (restore)
            {
                var parameter = ModuleTree.Parameter(module, parameterName);
                using var noGrad = no_grad();
                using var scope = NewDisposeScope();
                var mask = entry.Mask.to(parameter.device);
                parameter.copy_(where(mask.to_type(ScalarType.Bool), parameter, entry.Original.to(parameter.device)));
            }
            entries.Remove(parameterName);
            entry.Dispose();
        }
        return targets.Count;
    }

    private static bool SameDevice(Tensor a, Tensor b) => a.device_type == b.device_type && a.device_index == b.device_index;
}
