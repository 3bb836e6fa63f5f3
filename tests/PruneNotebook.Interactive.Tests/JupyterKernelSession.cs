namespace PruneNotebook.Interactive.Tests;

/// <summary>
/// The installed .net-csharp kernel started as Jupyter starts it, in notebooks/, with the packed extension loaded
/// from packages-local/ as the notebooks load it and one chart drawn. Shared by the tests of a class.
/// </summary>
public sealed class JupyterKernelSession : IAsyncLifetime
{
    /// <summary>The running kernel.</summary>
    public JupyterKernelProcess Kernel { get; private set; } = null!;

    /// <summary>The cell that registers packages-local/ as a package source (notebooks' first cell).</summary>
    public JupyterCellResult PackageSource { get; private set; } = null!;

    /// <summary>The cell that loads the extension with <c>#r "nuget:..."</c>.</summary>
    public JupyterCellResult Extension { get; private set; } = null!;

    /// <summary>The cell that draws sparsity heatmaps of a LeNet-5 (<c>#!sparsity</c>): the session's first chart.</summary>
    public JupyterCellResult Chart { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var version = typeof(PruneNotebookKernelExtension).Assembly.GetName().Version!.ToString(3);
        var package = Path.Combine(Repository.Root, "packages-local", $"PruneNotebook.Interactive.{version}.nupkg");
        if (!File.Exists(package))
            throw new InvalidOperationException($"{package} is missing: pack the extension first (./build.sh pack).");

        Kernel = await JupyterKernelProcess.StartAsync(".net-csharp", Path.Combine(Repository.Root, "notebooks"));
        PackageSource = await Kernel.ExecuteAsync("""
            using Microsoft.DotNet.Interactive;
            using Microsoft.DotNet.Interactive.Commands;
            var localPackages = System.IO.Path.GetFullPath(System.IO.Path.Combine("..", "packages-local"));
            await Kernel.Root.SendAsync(new SubmitCode($"#i \"nuget:{localPackages}\"", "csharp"));
            """);
        Extension = await Kernel.ExecuteAsync($"#r \"nuget:PruneNotebook.Interactive,{version}\"");
        await Kernel.ExecuteAsync("TorchSharp.torch.manual_seed(0); var model = new PruneNotebook.Core.Models.LeNet5();");
        Chart = await Kernel.ExecuteAsync("#!sparsity model");
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        Kernel?.Dispose();
        return Task.CompletedTask;
    }
}
