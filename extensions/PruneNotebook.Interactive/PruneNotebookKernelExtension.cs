using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Formatting;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Runtime;
using PruneNotebook.Sweeps;

namespace PruneNotebook.Interactive;

/// <summary>
/// Loaded by the kernel after <c>#r "nuget:PruneNotebook.Interactive,..."</c>: makes TorchSharp load its own
/// native libraries, registers the HTML formatters for PruneNotebook's records and adds the magic commands.
/// </summary>
public sealed class PruneNotebookKernelExtension : IKernelExtension
{
    /// <inheritdoc />
    public Task OnLoadAsync(Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        AllocatorTuning.Apply();
        TorchNativeLibraries.EnsureLoaded();
        var csharp = kernel as CSharpKernel ?? kernel.FindKernelByName("csharp") as CSharpKernel
            ?? throw new InvalidOperationException("PruneNotebook needs the C# kernel ('csharp'), which this notebook does not have.");

        PointWorkersAtShippedCommandLine();
        RegisterFormatters(VisualizationHost.LoadRenderer());
        SummaryMagic.Register(csharp);
        PruningMagics.Register(csharp);
        TrainMagic.Register(csharp);
        SelectionMagics.Register(csharp);
        SurgeryMagics.Register(csharp);
        TradeoffMagic.Register(csharp);
        RecipeMagic.Register(csharp, VisualizationHost.LoadReportPage());
        ReleaseMasksOfDisposedModels(csharp);

        KernelInvocationContext.Current?.Display(new HtmlString(UsageCard.Html), "text/html");
        return Task.CompletedTask;
    }

    /// <summary>
    /// Magics that run trials as worker processes start the prunenotebook command line this package ships in
    /// <c>cli/</c> beside the extension, unless <see cref="WorkerProgram.Variable"/> already names one.
    /// </summary>
    private static void PointWorkersAtShippedCommandLine()
    {
        var shipped = Path.Combine(Path.GetDirectoryName(typeof(PruneNotebookKernelExtension).Assembly.Location) ?? "", "cli", "prunenotebook.dll");
        if (File.Exists(shipped) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(WorkerProgram.Variable)))
            Environment.SetEnvironmentVariable(WorkerProgram.Variable, shipped);
    }

    /// <summary>
    /// After every command (a cell, a magic, a front end's request for the variables), releases the masks and mask hooks
    /// of models disposed meanwhile. The kernel keeps every
    /// variable any cell assigned (each submission's script state), so a disposed model stays referenced for the whole
    /// session and would keep its masks as long (<see cref="PruningMasks.ReleaseDisposed"/>). Language-service requests
    /// (completions, hover, signature help, diagnostics), which arrive while typing, are left alone.
    /// </summary>
    private static void ReleaseMasksOfDisposedModels(CSharpKernel csharp) =>
        csharp.AddMiddleware(async (command, context, next) =>
        {
            await next(command, context).ConfigureAwait(false);
            if (command is not (RequestCompletions or RequestHoverText or RequestSignatureHelp or RequestDiagnostics))
                PruningMasks.ReleaseDisposed();
        });

    /// <summary>Registers <paramref name="renderer"/>'s HTML as the preferred formatter of each record type it supports.</summary>
    internal static void RegisterFormatters((Func<object, string?> Render, IReadOnlyList<Type> Types) renderer)
    {
        var render = renderer.Render;
        foreach (var type in renderer.Types)
        {
            Formatter.Register(type, (value, writer) => writer.Write(render(value)), HtmlFormatter.MimeType);
            Formatter.SetPreferredMimeTypesFor(type, HtmlFormatter.MimeType);
        }
    }
}
