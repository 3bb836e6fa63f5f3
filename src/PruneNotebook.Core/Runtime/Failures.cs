using System.Runtime.InteropServices;
using System.Text.Json;
using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Core.Runtime;

/// <summary>
/// Tells an expected failure (bad input: one line saying what was wrong and what to do) from a bug (an exception no
/// check meant to throw), so hosts show the first as one line and the second as a bug with the details to report.
/// </summary>
/// <remarks>
/// Expected: bad arguments, files and formats (<see cref="ArgumentException"/> and kin thrown by this library or by
/// TorchSharp, <see cref="InvalidDataException"/>, <see cref="FormatException"/>, <see cref="JsonException"/>, any
/// <see cref="IOException"/>), libtorch's own refusals (<see cref="ExternalException"/>, e.g. shapes that do not
/// multiply), sweep backends that cannot run, cancellation, and the few <see cref="InvalidOperationException"/>,
/// <see cref="NotSupportedException"/> and <see cref="KeyNotFoundException"/> this library throws on purpose. Everything
/// else — a null dereference, an index out of range, an invalid cast, a .NET collection refusing an argument, an object
/// used after disposal — is a bug.
/// </remarks>
public static class Failures
{
    /// <summary>Whether <paramref name="e"/> reports bad input rather than a defect.</summary>
    public static bool IsExpected(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e switch
        {
            OperationCanceledException or InvalidDataException or FormatException or JsonException or IOException or SweepBackendException => true,
            ArgumentNullException => false,
            ArgumentException => ThrownByUs(e, includeTorchSharp: true),
            ObjectDisposedException => false,
            InvalidOperationException or NotSupportedException or KeyNotFoundException => ThrownByUs(e, includeTorchSharp: false),
            ExternalException => true,
            _ => false,
        };
    }

    /// <summary>The first line of an expected failure's message, without .NET's " (Parameter 'x')" suffix.</summary>
    public static string OneLine(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var line = e.Message.Split('\n', 2)[0].Split(" (Parameter '", 2)[0].Trim();
        return line.Length > 0 ? line : e.GetType().Name;
    }

    /// <summary>
    /// What a host shows for a bug: one line saying it is one (<paramref name="what"/> names the command), then the
    /// exception's type, message and stack trace (with inner exceptions) for the report.
    /// </summary>
    public static string BugReport(string what, Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return $"{what} stopped on an unexpected error, a bug rather than a problem with your input " +
               $"({e.GetType().Name}: {e.Message.Split('\n', 2)[0].Trim()}). " +
               "Please report it to PruneNotebook with the details below (unless the stack shows it came from your own code)." +
               Environment.NewLine + e;
    }

    /// <summary>Whether the exception was thrown by this library's code (its assemblies, the <c>prunenotebook</c> command line included), or by TorchSharp when asked.</summary>
    private static bool ThrownByUs(Exception e, bool includeTorchSharp)
    {
        var origin = e.TargetSite?.DeclaringType?.Assembly.GetName().Name ?? "";
        return origin.StartsWith("PruneNotebook", StringComparison.OrdinalIgnoreCase) || (includeTorchSharp && origin == "TorchSharp");
    }
}
