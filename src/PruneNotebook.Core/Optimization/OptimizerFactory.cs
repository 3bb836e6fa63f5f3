using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization;

/// <summary>Creates TorchSharp optimizers by name.</summary>
public static class OptimizerFactory
{
    /// <summary>The optimizer names understood, lower case.</summary>
    public static readonly IReadOnlyList<string> Names = ["adam", "adamw", "sgd", "rmsprop", "adagrad"];

    /// <summary>Throws unless <paramref name="name"/> is one of <see cref="Names"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown optimizer; the message lists the known ones.</exception>
    public static void Validate(string name)
    {
        if (name is null || !Names.Contains(name.Trim().ToLowerInvariant()))
            throw new ArgumentException($"Unknown optimizer '{name}': expected one of {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Creates the optimizer <paramref name="options"/> name for <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static optim.Optimizer Create(IEnumerable<Parameter> parameters, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var lr = options.LearningRate;
        var wd = options.WeightDecay;
        return options.Optimizer.Trim().ToLowerInvariant() switch
        {
            "adam" => optim.Adam(parameters, lr, weight_decay: wd),
            "adamw" => optim.AdamW(parameters, lr, weight_decay: wd),
            "sgd" => optim.SGD(parameters, lr, momentum: options.Momentum, weight_decay: wd),
            "rmsprop" => optim.RMSProp(parameters, lr, momentum: options.Momentum, weight_decay: wd),
            _ => optim.Adagrad(parameters, lr, weight_decay: wd),
        };
    }
}
