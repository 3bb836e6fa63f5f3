using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace PruneNotebook.Interactive;

/// <summary>Runs a magic command's body so that every failure becomes one clear line and the kernel lives on.</summary>
internal static class MagicHandler
{
    public static Task Run(KernelCommand command, KernelInvocationContext context, Action body)
    {
        try
        {
            body();
        }
        catch (UsageException e)
        {
            context.Fail(command, message: e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var firstLine = e.Message.Split('\n', 2)[0].Trim();
            context.Fail(command, message: $"{command.GetType().Name.Replace("Command", "", StringComparison.Ordinal)} failed: {e.GetType().Name}: {firstLine}");
        }
        return Task.CompletedTask;
    }
}
