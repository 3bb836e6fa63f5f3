using PruneNotebook.Core.Data;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Runtime;
using Linear = TorchSharp.Modules.Linear;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Calibration;

/// <summary>
/// Runs a few batches of calibration data through a model (eval mode, no gradients) and gathers, with forward
/// pre-hooks on the chosen Linear layers, the statistics of their inputs (<see cref="LayerInputStatistics"/>). Only the
/// features of the data are used. The hooks are removed afterwards, also when the pass throws.
/// </summary>
public static class CalibrationPass
{
    /// <summary>Calibration examples used when not told otherwise (the Wanda and SparseGPT papers use 128 sequences).</summary>
    public const int DefaultSamples = 128;

    /// <summary>
    /// Gathers the input statistics of <paramref name="layers"/> over the first <paramref name="samples"/> examples of
    /// <paramref name="data"/>.
    /// </summary>
    /// <param name="model">The network; it must call the layers through <c>call</c> (which runs hooks).</param>
    /// <param name="data">Calibration data: features of the shape the model takes.</param>
    /// <param name="layers">Qualified names of Linear layers, e.g. <c>fc1</c>.</param>
    /// <param name="gram">Whether to gather XᵀX as well (in × in floats per layer).</param>
    /// <param name="samples">Examples to use (≥ 1; fewer when the data has fewer).</param>
    /// <param name="batchSize">Examples per forward pass.</param>
    /// <param name="requireEveryLayer">Whether a layer that saw no input is refused (else it is left out of the result).</param>
    /// <returns>The statistics by layer name, in the order given; the caller disposes them.</returns>
    /// <exception cref="ArgumentException">
    /// A name is not a Linear layer, the data's features do not fit the model, or a layer saw no input (its forward is
    /// not reached through <c>call</c>); nothing is left hooked.
    /// </exception>
    public static IReadOnlyDictionary<string, LayerInputStatistics> Gather(nn.Module<Tensor, Tensor> model, TensorDataset data, IReadOnlyList<string> layers,
        bool gram = false, int samples = DefaultSamples, int batchSize = 32, bool requireEveryLayer = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(layers);
        if (samples < 1 || batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(samples), $"Calibration needs at least one example in batches of at least one, got {samples} in batches of {batchSize}.");
        if (data.Count == 0)
            throw new ArgumentException("The calibration data holds no examples: give a few batches of training data.");
        var modules = ModuleTree.Named(model).GroupBy(m => m.Path).ToDictionary(g => g.Key, g => g.First().Module);
        var device = TorchDevice.Of(model);
        var statistics = new Dictionary<string, LayerInputStatistics>();
        var removers = new List<Action>();
        try
        {
            foreach (var layer in layers)
            {
                if (!modules.TryGetValue(layer, out var module) || module is not Linear linear)
                    throw new ArgumentException($"Calibration gathers the inputs of Linear layers, and '{layer}' is {(modules.TryGetValue(layer, out var other) ? "a " + other.GetType().Name : "not a layer of " + model.GetType().Name)}: choose Linear layers.");
                var stats = new LayerInputStatistics(layer, linear.in_features, device, gram);
                statistics[layer] = stats;
                removers.Add(linear.register_forward_pre_hook((_, input) =>
                {
                    stats.Add(input);
                    return input;
                }).remove);
            }
            Forward(model, data, samples, batchSize, device);
            foreach (var stats in statistics.Values.Where(s => s.Rows == 0).ToList())
            {
                if (!requireEveryLayer)
                {
                    stats.Dispose();
                    statistics.Remove(stats.Layer);
                    continue;
                }
                throw new ArgumentException($"Layer '{stats.Layer}' saw no calibration input: {model.GetType().Name} must run it through call() (which runs hooks), not forward().");
            }
            var result = statistics;
            statistics = [];
            return result;
        }
        finally
        {
            foreach (var remove in removers)
                remove();
            foreach (var stats in statistics.Values)
                stats.Dispose();
        }
    }

    /// <summary>
    /// Runs the first <paramref name="samples"/> examples of <paramref name="data"/> through <paramref name="model"/> in
    /// eval mode without gradients (for the hooks it carries), then restores its mode.
    /// </summary>
    /// <exception cref="ArgumentException">The data's features do not fit the model.</exception>
    internal static void Forward(nn.Module<Tensor, Tensor> model, TensorDataset data, int samples, int batchSize, Device device)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            var left = (long)samples;
            foreach (var (x, _) in data.Batches(batchSize))
            {
                if (left <= 0)
                    break;
                using var scope = NewDisposeScope();
                var batch = x.shape[0] > left ? x.narrow(0, 0, left) : x;
                left -= batch.shape[0];
                try
                {
                    model.call(batch.to(device));
                }
                catch (Exception e)
                {
                    // Also TorchSharp's own ArgumentExceptions (a Conv2d given 3 channels where it has 1): say that the calibration data is what does not fit.
                    throw new ArgumentException($"The calibration data (examples of shape ({string.Join(", ", data.ExampleShape)}), {data.Features.dtype}) does not fit {model.GetType().Name}: {e.Message.Split('\n')[0]}");
                }
            }
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// The Linear layers of <paramref name="model"/> in the order one calibration example calls them (a module's
    /// registration order need not be the order it runs its layers in); layers it does not reach follow in module order.
    /// </summary>
    /// <exception cref="ArgumentException">The data's features do not fit the model.</exception>
    internal static IReadOnlyList<string> LinearLayersInCallOrder(nn.Module<Tensor, Tensor> model, TensorDataset data)
    {
        var linears = ModuleTree.Named(model).Where(m => m.Module is Linear).ToList();
        var called = new List<string>();
        var removers = new List<Action>();
        try
        {
            foreach (var (path, module) in linears)
                removers.Add(((Linear)module).register_forward_pre_hook((_, input) =>
                {
                    if (!called.Contains(path))
                        called.Add(path);
                    return input;
                }).remove);
            Forward(model, data, samples: 1, batchSize: 1, TorchDevice.Of(model));
        }
        finally
        {
            foreach (var remove in removers)
                remove();
        }
        return [.. called, .. linears.Select(m => m.Path).Where(p => !called.Contains(p)).Distinct()];
    }
}
