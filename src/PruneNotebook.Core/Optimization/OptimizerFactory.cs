using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization;

/// <summary>
/// Creates TorchSharp optimizers by name from <see cref="TrainerOptions"/>. Every optimizer uses PyTorch's defaults for
/// what the options do not set (ε = 1e-8 for Adam, AdamW and RMSprop with smoothing α = 0.99; ε = 1e-10 for AdaGrad;
/// SGD dampening 0), so a run matches the same configuration in PyTorch step for step.
/// <list type="table">
/// <item><term><c>sgd</c></term><description>stochastic gradient descent with <see cref="TrainerOptions.Momentum"/> (0 for none) and optional Nesterov momentum.</description></item>
/// <item><term><c>gd</c></term><description>full-batch gradient descent: plain SGD without momentum (the momentum option is ignored); the trainer accumulates the gradient over the whole training set and steps once per epoch.</description></item>
/// <item><term><c>adagrad</c></term><description>AdaGrad (no learning-rate decay, initial accumulator 0).</description></item>
/// <item><term><c>rmsprop</c></term><description>RMSprop (not centered) with <see cref="TrainerOptions.Momentum"/>.</description></item>
/// <item><term><c>adam</c></term><description>Adam with betas (<see cref="TrainerOptions.Beta1"/>, <see cref="TrainerOptions.Beta2"/>); weight decay is coupled (an L2 gradient term).</description></item>
/// <item><term><c>adamw</c></term><description>AdamW: Adam with decoupled weight decay (the parameters shrink by lr · decay each step). Unlike PyTorch, whose AdamW defaults to decay 0.01, the decay is <see cref="TrainerOptions.WeightDecay"/> (default 0).</description></item>
/// </list>
/// </summary>
public static class OptimizerFactory
{
    /// <summary>The optimizer names understood, lower case.</summary>
    public static readonly IReadOnlyList<string> Names = ["adam", "adamw", "sgd", "rmsprop", "adagrad", "gd"];

    /// <summary>Throws unless <paramref name="name"/> is one of <see cref="Names"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown optimizer; the message lists the known ones.</exception>
    public static void Validate(string name)
    {
        if (name is null || !Names.Contains(name.Trim().ToLowerInvariant()))
            throw new ArgumentException($"Unknown optimizer '{name}': expected one of {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Whether <paramref name="name"/> is full-batch gradient descent (<c>gd</c>): one step per epoch on the gradient of the whole training set.</summary>
    public static bool IsFullBatch(string name) => name?.Trim().ToLowerInvariant() == "gd";

    /// <summary>Creates the optimizer <paramref name="options"/> names for <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to optimize, e.g. <c>model.parameters()</c>.</param>
    /// <param name="options">Optimizer name, learning rate, momentum, Nesterov, betas and weight decay; validated first.</param>
    /// <returns>The optimizer; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static optim.Optimizer Create(IEnumerable<Parameter> parameters, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var lr = options.LearningRate;
        var wd = options.WeightDecay;
        return options.OptimizerName switch
        {
            "adam" => optim.Adam(parameters, lr, beta1: options.Beta1, beta2: options.Beta2, weight_decay: wd),
            "adamw" => optim.AdamW(parameters, lr, beta1: options.Beta1, beta2: options.Beta2, weight_decay: wd),
            "sgd" => optim.SGD(parameters, lr, momentum: options.Momentum, weight_decay: wd, nesterov: options.Nesterov),
            "gd" => optim.SGD(parameters, lr, weight_decay: wd),
            "rmsprop" => optim.RMSProp(parameters, lr, momentum: options.Momentum, weight_decay: wd),
            "adagrad" => optim.Adagrad(parameters, lr, weight_decay: wd),
            var name => throw new ArgumentException($"Unknown optimizer '{name}': expected one of {string.Join(", ", Names)}.", nameof(options)),
        };
    }

    /// <summary>
    /// Sets the learning rate of every parameter group of <paramref name="optimizer"/> for the next steps, as a PyTorch
    /// scheduler does; the optimizer's state (momentum, moments) is kept.
    /// </summary>
    /// <param name="optimizer">An optimizer from <see cref="Create"/>.</param>
    /// <param name="rate">The new rate, e.g. <c>schedule.RateAt(t, baseRate, state)</c> (≥ 0).</param>
    /// <exception cref="ArgumentException">The rate is negative or not a number.</exception>
    public static void SetLearningRate(optim.Optimizer optimizer, double rate)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!(rate >= 0) || double.IsInfinity(rate))
            throw new ArgumentException($"Learning rate must be zero or positive, got {rate}.", nameof(rate));
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = rate;
    }
}
