using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using PruneNotebook.Core.Runtime;

namespace PruneNotebook.Interactive;

/// <summary>
/// Runs a magic command's body so that the kernel lives on: bad input becomes one clear line, a bug one line saying it is
/// a bug plus the exception's details to report (<see cref="Failures"/>).
/// </summary>
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
        catch (Exception e) when (Failures.IsExpected(e))
        {
            // Core reports bad input (an unknown layer, an amount too large, a shape the model cannot take, a broken file) this way.
            context.Fail(command, message: Failures.OneLine(e));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Anything else is a defect: say so, with what a report needs, instead of passing it off as a usage error.
            context.Fail(command, message: Failures.BugReport(Name(command), e));
        }
        return Task.CompletedTask;
    }

    /// <summary>The magic as typed, e.g. <c>#!prune</c>, from its command type.</summary>
    private static string Name(KernelCommand command)
    {
        var type = command.GetType().Name.Replace("Command", "", StringComparison.Ordinal);
        return "#!" + (type == "FoldBatchNorm" ? "fold-bn" : string.Concat(type.Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())));
    }

    /// <summary>The first line of an exception message without .NET's " (Parameter 'x')" suffix.</summary>
    public static string OneLine(string message) => message.Split('\n', 2)[0].Split(" (Parameter '", 2)[0].Trim();
}
