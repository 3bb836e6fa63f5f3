using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PruneNotebook.Core.Optimization;

/// <summary>
/// Trains and evaluates next-token models (logits (batch, T, vocabulary) for token indices (batch, T)), such as
/// <see cref="Models.CharGpt"/>: AdamW on random mini-batches drawn from a seeded generator, a fixed number of steps,
/// linear warm-up then cosine decay. Masks are respected (the model runs through <c>call</c>).
/// </summary>
public static class LanguageModelTraining
{
    /// <summary>Steps the hosts train for unless told (notebook 07 trains CharGpt this long on the fortunes text).</summary>
    public const int DefaultSteps = 1500;

    /// <summary>Windows per step unless told.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>Peak learning rate unless told.</summary>
    public const double DefaultLearningRate = 3e-3;

    /// <summary>The steps of <paramref name="epochs"/> passes over <paramref name="windows"/> windows in batches of <paramref name="batchSize"/> (the last batch of a pass may be short).</summary>
    public static int EpochSteps(int epochs, long windows, int batchSize)
    {
        if (epochs < 1 || batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(epochs), $"Epochs and batch size must be at least 1, got {epochs} and {batchSize}.");
        return (int)Math.Min(int.MaxValue, epochs * ((windows + batchSize - 1) / batchSize));
    }

    /// <summary>The steps a host trains for: <paramref name="steps"/> when given, else <paramref name="epochs"/> passes of <paramref name="windows"/> windows (<see cref="EpochSteps"/>), else <see cref="DefaultSteps"/>.</summary>
    public static int StepsFor(int? steps, int? epochs, long windows, int batchSize) =>
        steps ?? (epochs is { } e ? EpochSteps(e, windows, batchSize) : DefaultSteps);

    /// <summary>
    /// <see cref="Train"/>, timed, as the record the hosts show and save (the recipe's train step, the command line's
    /// train): its settings, every step's loss and the wall time.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static LanguageModelHistory Record(nn.Module<Tensor, Tensor> model, TensorDataset data, int steps, int batchSize, double learningRate, long seed,
        CancellationToken cancellationToken = default, IProgress<LanguageModelProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var losses = Train(model, data, steps, batchSize, learningRate, seed, cancellationToken, progress);
        return new LanguageModelHistory(model.GetType().Name, batchSize, data.Features.shape[1], learningRate, seed, losses, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Trains <paramref name="model"/> in place; returns the training loss of each step.</summary>
    /// <param name="model">Maps (batch, T) Int64 to (batch, T, vocabulary).</param>
    /// <param name="data">Windows: features and labels (N, T) Int64.</param>
    /// <param name="steps">Optimizer steps (≥ 1).</param>
    /// <param name="batchSize">Windows per step.</param>
    /// <param name="learningRate">Peak learning rate.</param>
    /// <param name="seed">Seed of the batch order.</param>
    /// <param name="cancellationToken">Stops training before the next step (the model is left in eval mode with the steps so far).</param>
    /// <param name="progress">Told after every tenth of the steps (and the last), on the training thread; each report reads the loss back from the device once.</param>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static IReadOnlyList<double> Train(nn.Module<Tensor, Tensor> model, TensorDataset data, int steps, int batchSize = DefaultBatchSize, double learningRate = DefaultLearningRate, long seed = 0,
        CancellationToken cancellationToken = default, IProgress<LanguageModelProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (steps < 1 || batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), $"Training needs at least one step of at least one window, got {steps} of {batchSize}.");
        var device = TorchDevice.Of(model);
        using var generator = new Generator((ulong)seed);
        using var optimizer = optim.AdamW(model.parameters(), learningRate, weight_decay: 0.01);
        var warmup = Math.Max(1, steps / 20);
        var losses = new Tensor[steps];
        var every = Math.Max(1, steps / 10);
        var reported = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        model.train();
        try
        {
            for (var step = 0; step < steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var rate = step < warmup ? learningRate * (step + 1) / warmup : learningRate * 0.5 * (1 + Math.Cos(Math.PI * (step - warmup) / Math.Max(1, steps - warmup)));
                foreach (var group in optimizer.ParamGroups)
                    group.LearningRate = rate;
                var index = randint(data.Count, [batchSize], generator: generator).to(data.Device);
                var x = data.Features.index_select(0, index).to(device);
                var y = data.Labels.index_select(0, index).to(device);
                optimizer.zero_grad();
                var logits = model.call(x);
                var loss = cross_entropy(logits.reshape(-1, logits.shape[^1]), y.reshape(-1));
                loss.backward();
                optimizer.step();
                losses[step] = loss.detach().DetachFromDisposeScope();
                if (progress is not null && ((step + 1) % every == 0 || step + 1 == steps))
                {
                    using var recent = stack(losses[reported..(step + 1)]);
                    progress.Report(new LanguageModelProgress(step + 1, steps, recent.mean().to_type(ScalarType.Float64).item<double>(), rate, watch.Elapsed.TotalSeconds));
                    reported = step + 1;
                }
            }
            using var all = stack(losses);
            return all.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        }
        finally
        {
            model.eval();
            foreach (var l in losses)
                l?.Dispose();
        }
    }

    /// <summary>Mean next-token cross-entropy of <paramref name="model"/> over every position of <paramref name="data"/> (eval mode, no gradients).</summary>
    public static LanguageModelEvaluation Evaluate(nn.Module<Tensor, Tensor> model, TensorDataset data, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var device = TorchDevice.Of(model);
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var total = zeros(1, ScalarType.Float64, device);
            long tokens = 0;
            foreach (var (x, y) in data.Batches(batchSize))
            {
                using var scope = NewDisposeScope();
                var logits = model.call(x.to(device));
                total.add_(cross_entropy(logits.reshape(-1, logits.shape[^1]), y.to(device).reshape(-1), reduction: nn.Reduction.Sum).to_type(ScalarType.Float64));
                tokens += y.numel();
            }
            return new LanguageModelEvaluation(tokens == 0 ? double.NaN : total.cpu().item<double>() / tokens, tokens);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
