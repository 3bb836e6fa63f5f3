using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Runtime;

/// <summary>Chooses the device tensors and models live on.</summary>
public static class TorchDevice
{
    /// <summary>
    /// The device to use when the caller names none: <c>cuda</c> when a CUDA device is available, else <c>cpu</c>.
    /// </summary>
    public static Device Default
    {
        get
        {
            TorchNativeLibraries.EnsureLoaded();
            return cuda.is_available() ? CUDA : CPU;
        }
    }

    /// <summary>
    /// Resolves a device by name (<c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>) or, for <c>null</c>/<c>auto</c>,
    /// picks <see cref="Default"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a device, or names CUDA on a machine without it.</exception>
    public static Device Resolve(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Equals("auto", StringComparison.OrdinalIgnoreCase))
            return Default;
        TorchNativeLibraries.EnsureLoaded();
        var trimmed = name.Trim().ToLowerInvariant();
        if (trimmed != "cpu" && !trimmed.StartsWith("cuda", StringComparison.Ordinal))
            throw new ArgumentException($"Unknown device '{name}': expected cpu, cuda, cuda:N or auto.", nameof(name));
        if (trimmed.StartsWith("cuda", StringComparison.Ordinal) && !cuda.is_available())
            throw new ArgumentException($"Device '{name}' was asked for, but no CUDA device is available here: use cpu or auto.", nameof(name));
        return torch.device(trimmed);
    }

    /// <summary>The device that holds the module's first parameter (or buffer); CPU for a module with neither.</summary>
    public static Device Of(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        foreach (var p in module.parameters())
            return p.device;
        foreach (var b in module.buffers())
            return b.device;
        return CPU;
    }
}
