using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using PruneNotebook.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Interactive;

/// <summary>Reads the C# kernel's variables for magic commands, with errors that say what was expected.</summary>
internal static class KernelVariables
{
    /// <summary>The module held by C# variable <paramref name="name"/>.</summary>
    /// <exception cref="UsageException">No such variable, or it does not hold a <c>Module&lt;Tensor, Tensor&gt;</c>.</exception>
    public static nn.Module<Tensor, Tensor> GetModule(CSharpKernel csharp, string name, string example)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new UsageException($"Missing model: expected the name of a C# variable holding a TorchSharp module, e.g. {example}.");
        if (!csharp.TryGetValue<object>(name, out var value))
            throw new UsageException($"No C# variable named '{name}': declare it in a C# cell first (e.g. var {name} = new LeNet5();), then run {example}.");
        return value switch
        {
            nn.Module<Tensor, Tensor> module when IsDisposed(module) =>
                throw new UsageException($"Variable '{name}' holds a disposed model: create it again (e.g. {name} = new LeNet5();), then run {example}."),
            nn.Module<Tensor, Tensor> module => module,
            null => throw new UsageException($"Variable '{name}' is null: expected a TorchSharp module such as new LeNet5()."),
            nn.Module other => throw new UsageException(
                $"Variable '{name}' is a {other.GetType().Name}, which does not map one tensor to one tensor: expected a Module<Tensor, Tensor>."),
            _ => throw new UsageException($"Variable '{name}' is a {value.GetType().Name}, not a TorchSharp module: expected a Module<Tensor, Tensor> such as LeNet5."),
        };
    }

    /// <summary>
    /// Checks, before any work, that <paramref name="name"/> (the value of <paramref name="option"/>, e.g. <c>--result</c>)
    /// can name the C# variable a magic stores its result in; nothing to check when it is not given.
    /// </summary>
    /// <exception cref="UsageException">Not a C# identifier, or a keyword.</exception>
    public static void CheckNewName(string? name, string option)
    {
        if (string.IsNullOrWhiteSpace(name))
            return;
        var trimmed = name.Trim();
        if (!Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(trimmed)
            || Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(trimmed) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None)
            throw new UsageException($"{option} '{trimmed}' cannot name a C# variable: expected a name such as result (letters, digits and _, not starting with a digit, not a keyword).");
    }

    /// <summary>Whether <paramref name="module"/> was disposed (its native module or its parameters released).</summary>
    private static bool IsDisposed(nn.Module module)
    {
        try
        {
            _ = module.training; // reads the native module: a disposed one refuses
            return module.parameters().Any(p => p.IsInvalid);
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>The dataset held by C# variable <paramref name="name"/>: a TensorDataset, or a FashionMnist's test split.</summary>
    /// <exception cref="UsageException">No such variable, or it holds something else.</exception>
    public static TensorDataset GetDataset(CSharpKernel csharp, string name, string example)
    {
        var value = DataVariable(csharp, name, example);
        return value switch
        {
            TensorDataset dataset => dataset,
            FashionMnist fashion => fashion.Test,
            _ => throw new UsageException($"Variable '{name}' is a {value?.GetType().Name ?? "null"}, not a dataset: expected a TensorDataset or a FashionMnist."),
        };
    }

    /// <summary>
    /// The training data held by C# variable <paramref name="name"/>: a TensorDataset (no default validation set), or a
    /// FashionMnist's train split with its test split as the default validation set.
    /// </summary>
    /// <exception cref="UsageException">No such variable, or it holds something else.</exception>
    public static (TensorDataset Train, TensorDataset? Validation) GetTrainingData(CSharpKernel csharp, string name, string example)
    {
        var value = DataVariable(csharp, name, example);
        return value switch
        {
            TensorDataset dataset => (dataset, null),
            FashionMnist fashion => (fashion.Train, fashion.Test),
            _ => throw new UsageException($"Variable '{name}' is a {value?.GetType().Name ?? "null"}, not a dataset: expected a TensorDataset or a FashionMnist."),
        };
    }

    /// <summary>The value of the C# variable a <c>--data</c> option names.</summary>
    /// <exception cref="UsageException">No name, or no such variable.</exception>
    private static object? DataVariable(CSharpKernel csharp, string name, string example)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new UsageException($"Missing --data: expected the name of a C# variable holding a TensorDataset or FashionMnist, e.g. {example}.");
        if (!csharp.TryGetValue<object>(name, out var value))
            throw new UsageException($"No C# variable named '{name}': load data first (e.g. var data = FashionMnist.Load();), then run {example}.");
        return value;
    }

    /// <summary>The positional <c>--model</c> parameter every command takes, completing to the kernel's module variables.</summary>
    public static KernelDirectiveParameter ModelParameter(CSharpKernel csharp) =>
        new KernelDirectiveParameter("--model", "The C# variable holding the model (a Module<Tensor, Tensor>).") { AllowImplicitName = true, Required = true }
            .AddCompletions(() => Names<nn.Module>(csharp));

    /// <summary>A <c>--data</c> parameter completing to the kernel's TensorDataset and FashionMnist variables.</summary>
    public static KernelDirectiveParameter DataParameter(CSharpKernel csharp, string description, bool required = false, string name = "--data") =>
        new KernelDirectiveParameter(name, description) { Required = required }
            .AddCompletions(() => Names<TensorDataset>(csharp).Concat(Names<FashionMnist>(csharp)));

    /// <summary>Names of the C# variables whose values are <typeparamref name="T"/>, for completions.</summary>
    public static IEnumerable<string> Names<T>(CSharpKernel csharp) =>
        csharp.ScriptState?.Variables.Where(v => v.Value is T).Select(v => v.Name).Distinct().ToList() ?? [];
}
