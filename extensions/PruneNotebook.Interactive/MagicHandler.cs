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
        catch (ArgumentException e)
        {
            // Core reports bad input (an unknown layer, an amount too large, a shape the model cannot take) this way.
            context.Fail(command, message: OneLine(e.Message));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var firstLine = e.Message.Split('\n', 2)[0].Trim();
            context.Fail(command, message: $"{command.GetType().Name.Replace("Command", "", StringComparison.Ordinal)} failed: {e.GetType().Name}: {firstLine}");
        }
        return Task.CompletedTask;
    }

    /// <summary>The first line of an exception message without .NET's " (Parameter 'x')" suffix.</summary>
    public static string OneLine(string message) => message.Split('\n', 2)[0].Split(" (Parameter '", 2)[0].Trim();
}
