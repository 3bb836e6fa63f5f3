using System.Reflection;
using System.Runtime.InteropServices;

namespace PruneNotebook.Core.Runtime;

/// <summary>
/// Loads TorchSharp's own libtorch by full path before TorchSharp's loader runs.
/// </summary>
/// <remarks>
/// Hosts that load TorchSharp.dll without a deps.json for its native assets (dotnet-interactive's
/// <c>#r "nuget:..."</c>) let the loader find the first <c>libtorch_cpu.so</c> on the system library
/// path. Machines often carry another libtorch (Debian's python3-torch, conda), and TorchSharp then
/// fails to initialise. Loading the matching natives first, by full path, makes every later lookup by
/// name find the right ones. Console apps and tests are unaffected, and this is a no-op where the
/// files are not found (other platforms, the CUDA backend) or already loaded.
/// </remarks>
public static class TorchNativeLibraries
{
    private static readonly object Gate = new();
    private static bool _attempted;
    private static IReadOnlyList<string> _loaded = Array.Empty<string>();

    /// <summary>Full paths of the native libraries this class loaded (empty when it loaded none).</summary>
    public static IReadOnlyList<string> Loaded
    {
        get { lock (Gate) return _loaded; }
    }

    /// <summary>
    /// Loads libc10, libtorch_cpu, libtorch and libLibTorchSharp by full path, once per process. Changes no process-wide
    /// setting beyond that: allocator tuning is the host's choice (<see cref="AllocatorTuning.Apply"/>).
    /// </summary>
    /// <exception cref="DllNotFoundException">The libraries were found but one of them failed to load.</exception>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_attempted)
                return;
            _attempted = true;
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.ProcessArchitecture != Architecture.X64)
                return;
            var files = Locate();
            if (files is null)
                return;
            foreach (var file in files)
            {
                if (!NativeLibrary.TryLoad(file, out _))
                    throw new DllNotFoundException($"Could not load TorchSharp's native library '{file}'.");
            }
            _loaded = files;
        }
    }

    private static string[]? Locate()
    {
        var torchSharp = typeof(TorchSharp.torch).Assembly;
        var assemblyDirectory = Path.GetDirectoryName(torchSharp.Location);
        if (string.IsNullOrEmpty(assemblyDirectory))
            return null;

        var libTorchVersion = typeof(TorchNativeLibraries).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "LibTorchVersion")?.Value;

        var candidates = new List<(string LibTorch, string TorchSharp)>
        {
            (Path.Combine(assemblyDirectory, "runtimes", "linux-x64", "native"), Path.Combine(assemblyDirectory, "runtimes", "linux-x64", "native")),
            (assemblyDirectory, assemblyDirectory),
        };
        // Inside the NuGet global packages folder: <packages>/torchsharp/<version>/lib/<tfm>/TorchSharp.dll
        var packageRoot = Directory.GetParent(assemblyDirectory)?.Parent;
        var packagesFolder = packageRoot?.Parent?.Parent;
        if (packageRoot is not null && packagesFolder is not null && libTorchVersion is not null)
        {
            candidates.Add((
                Path.Combine(packagesFolder.FullName, "libtorch-cpu-linux-x64", libTorchVersion, "runtimes", "linux-x64", "native"),
                Path.Combine(packageRoot.FullName, "runtimes", "linux-x64", "native")));
        }

        foreach (var (libTorchDir, torchSharpDir) in candidates)
        {
            string[] files =
            [
                Path.Combine(libTorchDir, "libc10.so"),
                Path.Combine(libTorchDir, "libtorch_cpu.so"),
                Path.Combine(libTorchDir, "libtorch.so"),
                Path.Combine(torchSharpDir, "libLibTorchSharp.so"),
            ];
            if (files.All(File.Exists))
                return files;
        }
        return null;
    }
}
