using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using static TorchSharp.torch;

namespace PruneNotebook.Interactive.Tests;

/// <summary>An in-process C# kernel with the extension loaded and a few variables set.</summary>
public abstract class KernelTestBase : IAsyncLifetime
{
    protected CompositeKernel Kernel { get; private set; } = null!;
    protected CSharpKernel CSharp { get; private set; } = null!;
    protected KernelCommandResult LoadResult { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        CSharp = new CSharpKernel();
        Kernel = new CompositeKernel { CSharp };
        Kernel.DefaultKernelName = CSharp.Name;
        // Load the extension as the kernel does (OnLoadAsync with the root kernel, inside a command).
        var extension = typeof(PruneNotebookKernelExtension).Assembly.Location;
        LoadResult = await Kernel.SendAsync(new SubmitCode($"""
            #r "{extension}"
            await new PruneNotebook.Interactive.PruneNotebookKernelExtension().OnLoadAsync(
                Microsoft.DotNet.Interactive.KernelInvocationContext.Current.HandlingKernel.RootKernel);
            """));
        Assert.Empty(LoadResult.Events.OfType<CommandFailed>());
        manual_seed(0);
        await CSharp.SetValueAsync("model", new LeNet5(), typeof(LeNet5));
        await CSharp.SetValueAsync("mlp", new LeNet300_100(), typeof(LeNet300_100));
        await CSharp.SetValueAsync("text", "not a model", typeof(string));
        await CSharp.SetValueAsync("convnet", nn.Sequential(nn.Conv2d(1, 4, 3)), typeof(TorchSharp.Modules.Sequential));
        var generator = new Generator(2);
        await CSharp.SetValueAsync("samples", new TensorDataset(randn([200, 1, 28, 28], generator: generator), randint(10, [200], generator: generator)), typeof(TensorDataset));
    }

    public Task DisposeAsync()
    {
        Kernel.Dispose();
        Formatter.ResetToDefault();
        return Task.CompletedTask;
    }

    protected T Variable<T>(string name) => CSharp.TryGetValue<T>(name, out var value) ? value : throw new KeyNotFoundException(name);

    protected async Task<string> DisplayedHtml(string code)
    {
        var result = await Kernel.SendAsync(new SubmitCode(code));
        var failure = result.Events.OfType<CommandFailed>().FirstOrDefault();
        Assert.True(failure is null, failure?.Message);
        var displayed = Assert.Single(result.Events.OfType<DisplayedValueProduced>());
        return Assert.Single(displayed.FormattedValues, v => v.MimeType == "text/html").Value;
    }

    protected async Task<string> FailureMessage(string code)
    {
        var result = await Kernel.SendAsync(new SubmitCode(code));
        var failure = Assert.Single(result.Events.OfType<CommandFailed>());
        Assert.DoesNotContain("   at ", failure.Message);
        Assert.DoesNotContain('\n', failure.Message.Trim());
        return failure.Message;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public class KernelCollection
{
    public const string Name = "kernel";
}
