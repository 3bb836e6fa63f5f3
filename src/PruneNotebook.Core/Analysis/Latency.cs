using System.Diagnostics;
using PruneNotebook.Core.Runtime;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Analysis;

/// <summary>Measured inference latency.</summary>
public static class Latency
{
    /// <summary>
    /// Wall time in milliseconds of the fastest of <paramref name="repeats"/> forward passes of a random batch of
    /// <paramref name="inputShape"/>, in eval mode without gradients, after <paramref name="warmup"/> untimed passes; the
    /// training mode is restored. The fastest pass, not the median: on a shared machine other work only ever adds time,
    /// so the minimum is what the network itself costs and the figure that compares fairly before and after surgery.
    /// </summary>
    /// <param name="model">The network.</param>
    /// <param name="inputShape">Batch shape, e.g. (64, 1, 28, 28).</param>
    /// <param name="repeats">Timed passes (≥ 1).</param>
    /// <param name="warmup">Untimed passes first (≥ 0).</param>
    /// <param name="channelsLast">Feed a 4-D batch in channels-last layout (<see cref="MemoryLayout.ChannelsLast"/>).</param>
    /// <exception cref="ArgumentException">The shape is not valid or the counts are out of range.</exception>
    public static double Measure(nn.Module<Tensor, Tensor> model, IReadOnlyList<long> inputShape, int repeats = 10, int warmup = 3, bool channelsLast = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Count == 0 || inputShape.Any(d => d <= 0))
            throw new ArgumentException($"Input shape ({string.Join(", ", inputShape)}) is not valid: expected positive sizes including the batch dimension, e.g. 64,1,28,28.", nameof(inputShape));
        if (repeats < 1 || warmup < 0)
            throw new ArgumentException($"Latency needs at least 1 timed pass and no negative warm-up, got {repeats} and {warmup}.", nameof(repeats));
        TorchNativeLibraries.EnsureLoaded();
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var generator = new Generator(0);
            // A model that starts with an Embedding reads token indices: draw them from its vocabulary.
            using var drawn = (InputShapes.TokenEmbedding(model) is { } embedding
                ? randint(embedding.weight!.shape[0], inputShape.ToArray(), generator: generator)
                : randn(inputShape.ToArray(), generator: generator)).to(TorchDevice.Of(model));
            using var input = channelsLast ? MemoryLayout.ChannelsLast(drawn) : drawn.alias();
            for (var i = 0; i < warmup; i++)
                model.call(input).Dispose();
            var times = new double[repeats];
            for (var i = 0; i < repeats; i++)
            {
                var watch = Stopwatch.StartNew();
                using (var output = model.call(input))
                    output.cpu().Dispose(); // waits for the device to finish
                times[i] = watch.Elapsed.TotalMilliseconds;
            }
            return times.Min();
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
