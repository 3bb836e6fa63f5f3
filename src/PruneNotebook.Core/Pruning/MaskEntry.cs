using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>
/// The mask of one parameter, held by the module that owns the parameter: 1 keeps, 0 prunes, in the parameter's shape.
/// <see cref="Apply"/> zeroes the pruned entries in place through an alias of the parameter's storage, so autograd's
/// version counter of the parameter does not move: a module called twice in one forward pass (shared weights) can be
/// re-masked before its second call without invalidating the tensors its first call saved for backward.
/// </summary>
internal sealed class MaskEntry(nn.Module owner, string parameterName, Tensor mask, Tensor original) : IDisposable
{
    /// <summary>The module whose parameter this is.</summary>
    public nn.Module Owner { get; } = owner;

    /// <summary>The parameter's name inside <see cref="Owner"/>, e.g. <c>weight</c>.</summary>
    public string ParameterName { get; } = parameterName;

    /// <summary>The mask, detached from dispose scopes; follows the parameter's device and dtype lazily.</summary>
    public Tensor Mask { get; set; } = mask;

    /// <summary>The parameter's values when it was first pruned (for <see cref="PruningMasks.Reset"/>).</summary>
    public Tensor Original { get; } = original;

    /// <summary>Who last applied this mask for the forward pass under way (a <see cref="MaskGuard"/> or a settled scope).</summary>
    internal object? AppliedBy { get; set; }

    /// <summary><see cref="MaskGuard.Exceptions"/> when <see cref="AppliedBy"/> was set: a later exception voids the mark.</summary>
    internal long AppliedStamp { get; set; }

    /// <summary>The parameter as the module holds it now (moving a module to another device replaces its parameters).</summary>
    public Parameter Parameter => Owner.get_parameter(ParameterName)
        ?? throw new InvalidOperationException($"The pruned parameter '{ParameterName}' is no longer registered on {Owner.GetType().Name}.");

    /// <summary>
    /// Whether the parameter is gone for good: disposed, as <c>Module.Dispose</c> disposes its module's parameters. The
    /// mask then masks nothing, and <see cref="PruningMasks.ReleaseDisposed"/> releases it.
    /// </summary>
    public bool ParameterDisposed => Owner.get_parameter(ParameterName) is { IsInvalid: true };

    /// <summary>Multiplies the parameter by its mask in place, without gradients and without bumping its autograd version.</summary>
    public void Apply()
    {
        var parameter = Parameter;
        if (Mask.dtype != parameter.dtype || Mask.device_type != parameter.device_type || Mask.device_index != parameter.device_index)
        {
            var moved = Mask.to(parameter.dtype, parameter.device).DetachFromDisposeScope();
            Mask.Dispose();
            Mask = moved;
        }
        using var noGrad = no_grad();
        using var alias = empty(0, dtype: parameter.dtype, device: parameter.device);
        alias.set_(parameter);
        alias.mul_(Mask);
    }

    public void Dispose()
    {
        Mask.Dispose();
        Original.Dispose();
    }
}
