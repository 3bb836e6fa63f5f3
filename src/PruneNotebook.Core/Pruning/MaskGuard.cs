using System.Collections.Concurrent;
using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>
/// Forward hooks that make a model's pruning masks part of the model, as PyTorch's <c>prune</c> hooks do: before a
/// module runs (<c>module.call(x)</c>), every mask below it is applied in place, so any training loop and any optimizer
/// feed the forward pass exactly the masked weights. A guard sits on every module from the pruned model down to each
/// masked parameter's owner, so a model whose <c>forward</c> calls its layers with <c>.forward(x)</c> (which skips their
/// hooks, as in TorchSharp's own examples) is still covered by the model's own hook.
/// <para>
/// Each mask is applied once per forward pass: the outermost guard applies and marks it, inner guards skip marked
/// masks, and the marks are cleared when the outermost call returns. A call that throws leaves its marks behind; every
/// exception in the process voids all marks (<see cref="Exceptions"/>), so a stale mark can never skip a needed pass.
/// </para>
/// </summary>
internal sealed class MaskGuard
{
    private static long _exceptions;
    private static readonly ConcurrentDictionary<Type, (MethodInfo Pre, MethodInfo Post)?> HookMethods = new();

    static MaskGuard() => AppDomain.CurrentDomain.FirstChanceException += (_, _) => Interlocked.Increment(ref _exceptions);

    private readonly nn.Module _module;
    private readonly List<MaskEntry> _applied = [];
    private readonly Action _remove;
    private List<MaskEntry> _below = [];
    private long _generation = -1;
    private bool _inCall;

    private MaskGuard(nn.Module module, Action remove)
    {
        _module = module;
        _remove = remove;
    }

    /// <summary>Exceptions thrown in this process so far (first chance): a mark made before the latest one is void.</summary>
    internal static long Exceptions => Interlocked.Read(ref _exceptions);

    /// <summary>Whether TorchSharp runs forward hooks for <paramref name="module"/> (every <c>nn.Module&lt;…&gt;</c> does).</summary>
    public static bool CanGuard(nn.Module module) => Methods(module.GetType()) is not null;

    /// <summary>Registers the hooks on <paramref name="module"/>; <c>null</c> when it has none (see <see cref="CanGuard"/>).</summary>
    public static MaskGuard? Attach(nn.Module module)
    {
        if (Methods(module.GetType()) is not { } methods)
            return null;
        MaskGuard? guard = null;
        var pre = methods.Pre.Invoke(module, [(Action<nn.Module>)(_ => guard!.Before())])!;
        var post = methods.Post.Invoke(module, [(Action<nn.Module>)(_ => guard!.After())])!;
        var removePre = pre.GetType().GetMethod("remove")!;
        var removePost = post.GetType().GetMethod("remove")!;
        guard = new MaskGuard(module, () =>
        {
            removePre.Invoke(pre, null);
            removePost.Invoke(post, null);
        });
        return guard;
    }

    /// <summary>Whether any mask lies below the guarded module (a guard with none is removed).</summary>
    public bool HasMasks => Below().Count > 0;

    /// <summary>Unregisters the hooks.</summary>
    public void Detach() => _remove();

    /// <summary>Whether <paramref name="entry"/> was applied for the forward pass under way by someone other than <paramref name="asker"/>.</summary>
    internal static bool AppliedForThisPass(MaskEntry entry, object asker) =>
        entry.AppliedBy is { } by && !ReferenceEquals(by, asker) && entry.AppliedStamp == Exceptions;

    private void Before()
    {
        if (_inCall)
            ClearMarks(); // re-entered, or a call that threw never returned: apply again
        _inCall = true;
        var stamp = Exceptions;
        foreach (var entry in Below())
        {
            if (AppliedForThisPass(entry, this))
                continue;
            entry.Apply();
            entry.AppliedBy = this;
            entry.AppliedStamp = stamp;
            _applied.Add(entry);
        }
    }

    private void After()
    {
        ClearMarks();
        _inCall = false;
    }

    private void ClearMarks()
    {
        foreach (var entry in _applied)
            if (ReferenceEquals(entry.AppliedBy, this))
                entry.AppliedBy = null;
        _applied.Clear();
    }

    private List<MaskEntry> Below()
    {
        var generation = PruningMasks.Generation;
        if (generation != _generation)
        {
            _below = PruningMasks.EntriesBelow(_module);
            _generation = generation;
        }
        return _below;
    }

    private static (MethodInfo Pre, MethodInfo Post)? Methods(Type type) => HookMethods.GetOrAdd(type, t =>
    {
        for (var b = t; b is not null; b = b.BaseType)
        {
            if (!b.IsGenericType || b.GetGenericTypeDefinition() != typeof(nn.HookableModule<,>))
                continue;
            var pre = b.GetMethod("register_forward_pre_hook", [typeof(Action<nn.Module>)]);
            var post = b.GetMethod("register_forward_hook", [typeof(Action<nn.Module>)]);
            return pre is null || post is null ? null : (pre, post);
        }
        return null;
    });
}
