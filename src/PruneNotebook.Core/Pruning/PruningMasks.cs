using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>
/// The pruning masks of a model. A mask has its parameter's shape, 1 for kept and 0 for pruned entries, and belongs to
/// the module that owns the parameter, as PyTorch keeps <c>weight_mask</c> on the module: forward pre-hooks apply every
/// mask before the module runs (<c>module.call(x)</c>), so every forward pass sees exactly the masked weights whatever
/// loop or optimizer updated them, and every PruneNotebook call that reads weights (reports, saving, surgery) applies
/// them first. The module's <c>state_dict</c> keeps its own names. Masks follow the module across devices and dtypes.
/// <para>
/// Like PyTorch's <c>weight_orig</c>, the parameter itself is what optimizers update: a step may move its pruned entries
/// until the next forward pass or PruneNotebook call zeroes them again. Before reading a pruned model's parameters with
/// TorchSharp alone (<c>state_dict()</c>, <c>module.save</c>), call <see cref="Apply"/>; <see cref="MakePermanent"/> ends
/// pruning with the zeros in place.
/// </para>
/// </summary>
public static class PruningMasks
{
    private static readonly ConditionalWeakTable<nn.Module, Dictionary<string, MaskEntry>> Table = new();
    private static readonly ConditionalWeakTable<nn.Module, MaskGuard> Guards = new();
    private static readonly Lock Sweeping = new();
    private static long _generation;

    /// <summary>Changes whenever a mask is added or removed or a model's modules change: guards re-read their masks then.</summary>
    internal static long Generation => Interlocked.Read(ref _generation);

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
    public static bool Any(nn.Module model) => EntriesBelow(model).Count > 0;

    /// <summary>
    /// Sets every pruned entry of <paramref name="model"/> to exactly zero now, as the next forward pass would (for code
    /// that reads the parameters directly after an optimizer step). In place, without changing autograd versions.
    /// </summary>
    public static void Apply(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var entry in EntriesBelow(model))
            entry.Apply();
    }

    /// <summary>
    /// Makes pruning permanent (PyTorch's <c>prune.remove</c>): applies and forgets the masks of <paramref name="name"/>
    /// (or of every parameter when <c>null</c>); the zeros stay in the weights but training may now change them.
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
    /// a copy of the parameter taken when it is first pruned. Call <see cref="Sync"/> on the model afterwards.
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
            var kept = original is null ? parameter.detach().clone().DetachFromDisposeScope() : Own(original, parameter);
            entries[parameterName] = entry = new MaskEntry(owner, parameterName, converted, kept);
        }
        entry.Apply();
        Interlocked.Increment(ref _generation);
    }

    /// <summary>
    /// Releases what the masks of disposed models hold: every mask (and the values kept for <see cref="Reset"/>) whose
    /// parameter was disposed, as TorchSharp's <c>Module.Dispose</c> disposes its parameters, and the mask hooks of
    /// modules with no mask left below them. Masks belong to their module weakly, so they go with it once nothing
    /// references the module; but something may still reference a disposed model (a notebook kernel keeps every variable
    /// any cell assigned), and then its masks would live as long as that. Runs at every change of masks; a host that
    /// keeps user objects (the notebook extension) also calls it after each command.
    /// </summary>
    /// <returns>The number of masks released.</returns>
    public static int ReleaseDisposed()
    {
        var released = 0;
        lock (Sweeping)
        {
            foreach (var (module, entries) in Table.ToList())
            {
                foreach (var (parameterName, entry) in entries.Where(e => e.Value.ParameterDisposed).ToList())
                {
                    entries.Remove(parameterName);
                    entry.Dispose();
                    released++;
                }
                if (entries.Count == 0)
                    Table.Remove(module);
            }
            if (released > 0)
                Interlocked.Increment(ref _generation);
            foreach (var (module, guard) in Guards.ToList())
            {
                if (guard.HasMasks)
                    continue;
                guard.Detach();
                Guards.Remove(module);
            }
        }
        return released;
    }

    /// <summary>How many masks this process holds, over every model still referenced (a leak check for hosts and soaks).</summary>
    public static int Held
    {
        get
        {
            lock (Sweeping)
                return Table.Sum(pair => pair.Value.Count);
        }
    }

    /// <summary>Whether <paramref name="module"/> carries mask hooks.</summary>
    internal static bool IsHooked(nn.Module module) => Guards.TryGetValue(module, out _);

    /// <summary>How many modules carry mask hooks in this process (a leak check beside <see cref="Held"/>).</summary>
    public static int Hooked
    {
        get
        {
            lock (Sweeping)
                return Guards.Count();
        }
    }

    /// <summary>
    /// Puts the mask-applying forward hooks on every module of <paramref name="model"/> from the model down to each
    /// masked parameter's owner, and takes them off modules with no mask below them. Call after masks or modules change.
    /// Also releases the masks of disposed models (<see cref="ReleaseDisposed"/>).
    /// </summary>
    internal static void Sync(nn.Module model)
    {
        ReleaseDisposed();
        Interlocked.Increment(ref _generation);
        var named = ModuleTree.Named(model).ToList();
        var byPath = new Dictionary<string, nn.Module>();
        foreach (var (path, module) in named)
            byPath.TryAdd(path, module);
        var guarded = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        foreach (var (path, module) in named)
        {
            if (!Table.TryGetValue(module, out var entries) || entries.Count == 0)
                continue;
            var onPath = Prefixes(path).Select(p => byPath[p]).Where(MaskGuard.CanGuard).ToList();
            if (onPath.Count == 0)
                throw new InvalidOperationException($"The masks of '{path}' cannot be kept: no module from {model.GetType().Name} down to it runs forward hooks.");
            guarded.UnionWith(onPath);
        }
        foreach (var (_, module) in named)
        {
            if (guarded.Contains(module))
            {
                if (!Guards.TryGetValue(module, out _))
                    Guards.Add(module, MaskGuard.Attach(module)!);
            }
            else if (Guards.TryGetValue(module, out var guard) && !guard.HasMasks)
            {
                guard.Detach();
                Guards.Remove(module);
            }
        }
    }

    /// <summary>Whether masks on the parameters of the module at <paramref name="path"/> in <paramref name="model"/> can be kept by hooks.</summary>
    internal static bool CanKeep(nn.Module model, string path)
    {
        var byPath = new Dictionary<string, nn.Module>();
        foreach (var (p, module) in ModuleTree.Named(model))
            byPath.TryAdd(p, module);
        return Prefixes(path).Any(p => byPath.TryGetValue(p, out var m) && MaskGuard.CanGuard(m));
    }

    /// <summary>
    /// Applies every mask of <paramref name="model"/> once and marks it applied until the scope ends: forward passes inside
    /// skip re-applying (evaluation, where nothing updates the weights). An exception voids the marks.
    /// </summary>
    internal static IDisposable Settled(nn.Module model)
    {
        var token = new object();
        var entries = EntriesBelow(model);
        var stamp = MaskGuard.Exceptions;
        foreach (var entry in entries)
        {
            entry.Apply();
            entry.AppliedBy = token;
            entry.AppliedStamp = stamp;
        }
        return new Unmark(entries, token);
    }

    /// <summary>Every mask on a parameter of <paramref name="module"/> or of a module inside it (each once).</summary>
    internal static List<MaskEntry> EntriesBelow(nn.Module module)
    {
        var found = new List<MaskEntry>();
        var seen = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        foreach (var (_, m) in ModuleTree.Named(module))
            if (seen.Add(m) && Table.TryGetValue(m, out var entries))
                found.AddRange(entries.Values);
        return found;
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
        Sync(model);
    }

    /// <summary>
    /// Moves the masks of <paramref name="from"/> to <paramref name="to"/>, a rebuilt copy of it (network surgery):
    /// <paramref name="slice"/> maps a local parameter name and a tensor of the old parameter's shape to the new shape.
    /// The caller syncs the model's hooks once its modules are swapped.
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
        Interlocked.Increment(ref _generation);
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
        foreach (var (module, parameterName) in targets.Distinct())
        {
            var entries = Table.GetOrCreateValue(module);
            var entry = entries[parameterName];
            entry.Apply();
            if (restore)
            {
                var parameter = entry.Parameter;
                using var noGrad = no_grad();
                using var scope = NewDisposeScope();
                var mask = entry.Mask.to(parameter.device);
                parameter.copy_(where(mask.to_type(ScalarType.Bool), parameter, entry.Original.to(parameter.dtype, parameter.device)));
            }
            entries.Remove(parameterName);
            entry.Dispose();
        }
        Sync(model);
        return targets.Distinct().Count();
    }

    /// <summary>"", "a", "a.b" for the path "a.b": the model and every module down to the one at <paramref name="path"/>.</summary>
    private static IEnumerable<string> Prefixes(string path)
    {
        yield return "";
        if (path.Length == 0)
            yield break;
        for (var cut = path.IndexOf('.'); cut >= 0; cut = path.IndexOf('.', cut + 1))
            yield return path[..cut];
        yield return path;
    }

    private static bool SameDevice(Tensor a, Tensor b) => a.device_type == b.device_type && a.device_index == b.device_index;

    private sealed class Unmark(List<MaskEntry> entries, object token) : IDisposable
    {
        public void Dispose()
        {
            foreach (var entry in entries)
                if (ReferenceEquals(entry.AppliedBy, token))
                    entry.AppliedBy = null;
        }
    }
}
