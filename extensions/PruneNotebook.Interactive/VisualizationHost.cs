using System.Reflection;
using System.Runtime.Loader;
using PruneNotebook.Core.Analysis;

namespace PruneNotebook.Interactive;

/// <summary>
/// Loads PruneNotebook.Visualization with Plotly.NET and its own FSharp.Core in an isolated
/// <see cref="AssemblyLoadContext"/>. The kernel ships an older FSharp.Core than Plotly.NET needs, so
/// loading Plotly.NET into the kernel's context fails; PruneNotebook.Core and TorchSharp are shared with
/// the kernel so that records cross the boundary as the same types.
/// </summary>
internal static class VisualizationHost
{
    private const string FolderName = "visualization";
    private const string AssemblyName = "PruneNotebook.Visualization";

    /// <summary>Loads the renderer from the <c>visualization</c> folder beside this assembly.</summary>
    /// <returns>
    /// A function turning a supported record into HTML (<c>null</c> for other values) and the record types it supports
    /// (the renderer's own list, so the formatters registered always match what it can draw).
    /// </returns>
    /// <exception cref="FileNotFoundException">The folder or assembly is missing (a broken package).</exception>
    public static (Func<object, string?> Render, IReadOnlyList<Type> Types) LoadRenderer(string? folder = null)
    {
        folder ??= Path.Combine(Path.GetDirectoryName(typeof(VisualizationHost).Assembly.Location)!, FolderName);
        var path = Path.Combine(folder, AssemblyName + ".dll");
        if (!File.Exists(path))
            throw new FileNotFoundException($"PruneNotebook's visualization assembly is missing at '{path}': reinstall the PruneNotebook.Interactive package.", path);

        var assembly = Load(path);
        var rendererType = assembly.GetType($"{AssemblyName}.NotebookRenderer", throwOnError: true)!;
        var renderer = Activator.CreateInstance(rendererType)!;
        var render = rendererType.GetMethod("Render", [typeof(object)])
            ?? throw new MissingMethodException(rendererType.FullName, "Render");
        var types = rendererType.GetProperty("SupportedTypes")?.GetValue(null) as IReadOnlyList<Type>
            ?? throw new MissingMemberException(rendererType.FullName, "SupportedTypes");
        return ((Func<object, string?>)render.CreateDelegate(typeof(Func<object, string?>), renderer), types);
    }

    /// <summary>The recipe report page (<c>RecipeReportHtml.Page</c>) from the same isolated context as <see cref="LoadRenderer"/>.</summary>
    public static Func<string, IReadOnlyList<Core.Recipes.RecipeStepResult>, string> LoadReportPage(string? folder = null)
    {
        folder ??= Path.Combine(Path.GetDirectoryName(typeof(VisualizationHost).Assembly.Location)!, FolderName);
        var assembly = Load(Path.Combine(folder, AssemblyName + ".dll"));
        var page = assembly.GetType($"{AssemblyName}.RecipeReportHtml", throwOnError: true)!
            .GetMethod("Page", [typeof(string), typeof(IReadOnlyList<Core.Recipes.RecipeStepResult>)])
            ?? throw new MissingMethodException("RecipeReportHtml", "Page");
        return page.CreateDelegate<Func<string, IReadOnlyList<Core.Recipes.RecipeStepResult>, string>>();
    }

    private static readonly Dictionary<string, Assembly> Loaded = new(StringComparer.Ordinal);

    /// <summary>The visualization assembly at <paramref name="path"/>, loaded once into its own isolated context.</summary>
    private static Assembly Load(string path)
    {
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(path, out var assembly))
            {
                assembly = new IsolatedContext(path).LoadFromAssemblyPath(path);
                Loaded[path] = assembly;
            }
            return assembly;
        }
    }

    private sealed class IsolatedContext(string mainAssemblyPath) : AssemblyLoadContext("PruneNotebook.Visualization", isCollectible: false)
    {
        private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

        private static readonly Dictionary<string, Assembly> Shared = new(StringComparer.OrdinalIgnoreCase)
        {
            [typeof(NetworkSummary).Assembly.GetName().Name!] = typeof(NetworkSummary).Assembly,
            [typeof(TorchSharp.torch).Assembly.GetName().Name!] = typeof(TorchSharp.torch).Assembly,
        };

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name is not null && Shared.TryGetValue(assemblyName.Name, out var shared))
                return shared;
            var path = _resolver.ResolveAssemblyToPath(assemblyName);
            return path is null ? null : LoadFromAssemblyPath(path);
        }
    }
}
