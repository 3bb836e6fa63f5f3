using System.Reflection;
using System.Runtime.Loader;

namespace PruneNotebook.Cli;

/// <summary>
/// Finds TorchSharp when this program ships without it (the <c>prunenotebook</c> dotnet tool and the notebook extension's copy
/// leave TorchSharp and libtorch out): TorchSharp.dll then comes from the NuGet packages folder, and
/// <see cref="Core.Runtime.TorchNativeLibraries"/> loads libtorch from beside it by full path.
/// </summary>
internal static class TorchSharpLocator
{
    /// <summary>
    /// Does nothing when TorchSharp.dll is beside this program; otherwise resolves it from the NuGet packages folder, or
    /// writes one line saying how to get it there.
    /// </summary>
    /// <returns>Whether TorchSharp can be loaded.</returns>
    public static bool Install(TextWriter error)
    {
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, "TorchSharp.dll")))
            return true;
        var metadata = typeof(TorchSharpLocator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
        var torchSharp = metadata["TorchSharpVersion"]!;
        var libTorch = metadata["LibTorchVersion"]!;
        var packages = NuGetPackages();
        var dll = Path.Combine(packages, "torchsharp", torchSharp, "lib", "net8.0", "TorchSharp.dll");
        var native = Path.Combine(packages, "libtorch-cpu-linux-x64", libTorch, "runtimes", "linux-x64", "native", "libtorch_cpu.so");
        if (!File.Exists(dll) || (OperatingSystem.IsLinux() && !File.Exists(native)))
        {
            error.WriteLine($"prunenotebook: TorchSharp {torchSharp} and libtorch-cpu-linux-x64 {libTorch} are not in the NuGet packages folder '{packages}': "
                + "restore them once, e.g. 'dotnet new console -o pn-restore && dotnet add pn-restore package PruneNotebook.Core --source <folder of the packages>' (see the README).");
            return false;
        }
        AssemblyLoadContext.Default.Resolving += (context, name) => name.Name == "TorchSharp" ? context.LoadFromAssemblyPath(dll) : null;
        return true;
    }

    private static string NuGetPackages() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
