using Microsoft.DotNet.Interactive.CSharp;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;

namespace PruneNotebook.Interactive;

/// <summary>The data of magics that run trials as worker processes, described so that a worker (on any machine) can load it.</summary>
internal static class WorkerData
{
    /// <summary>
    /// A FashionMnist variable (with the limit it was loaded with, read from its split sizes) or the name
    /// <c>fashion-mnist</c> (with <paramref name="limit"/>).
    /// </summary>
    /// <exception cref="UsageException">Anything else: worker processes load their data by name.</exception>
    public static DataSpec Describe(CSharpKernel csharp, string? data, string? limit, string example)
    {
        var name = data?.Trim() ?? "";
        int? first = string.IsNullOrWhiteSpace(limit) ? null : MagicArguments.Integer("--limit", limit, 1);
        if (first is < 1)
            throw new UsageException($"--limit must be at least 1, got {first}.");
        if (csharp.TryGetValue<object>(name, out var value))
        {
            if (value is not FashionMnist fashion)
                throw new UsageException($"--data '{name}' is a {value?.GetType().Name ?? "null"}: worker processes load their data by name, so pass a FashionMnist variable or fashion-mnist (with --limit).");
            var (train, test) = (fashion.Train.Count, fashion.Test.Count);
            if (train == 60_000 && test == 10_000)
                return new DataSpec(DataSpec.FashionMnistName, Directory: fashion.Directory);
            if (test != Math.Min(train, 10_000))
                throw new UsageException($"--data '{name}' has {train} training and {test} test images, which FashionMnist.Load(limit: N) does not make: pass --data fashion-mnist --limit N.");
            return new DataSpec(DataSpec.FashionMnistName, (int)train, fashion.Directory);
        }
        if (name.Equals(DataSpec.FashionMnistName, StringComparison.OrdinalIgnoreCase))
            return new DataSpec(DataSpec.FashionMnistName, first);
        throw new UsageException($"--data '{name}' is neither a FashionMnist variable nor fashion-mnist, e.g. {example}.");
    }
}
