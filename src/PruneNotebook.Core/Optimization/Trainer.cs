using System.Diagnostics;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PruneNotebook.Core.Optimization;

/// <summary>
/// Trains a classifier with cross-entropy on mini-batches. Prints nothing: progress is reported
/// once per epoch through <see cref="IProgress{T}"/>. The hot loop stays on the model's device:
/// losses are accumulated in device tensors and read back once per epoch.
/// Pruned parameters (see <see cref="PruningMasks"/>) stay exactly zero: their masks are multiplied in
/// after every optimizer step — one in-place multiply per masked tensor, which, unlike masking gradients,
/// also undoes what momentum, weight decay and Adam's moments would otherwise revive.
/// </summary>
public sealed class Trainer
{
    /// <summary>Creates a trainer; the options are validated here, before any training.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public Trainer(TrainerOptions? options = null)
    {
        Options = options ?? new TrainerOptions();
        Options.Validate();
    }

    /// <summary>The hyperparameters of this trainer.</summary>
    public TrainerOptions Options { get; }

    /// <summary>
    /// Trains <paramref name="model"/> in place for <see cref="TrainerOptions.Epochs"/> epochs and evaluates it on
    /// <paramref name="test"/> after each epoch.
    /// </summary>
    /// <param name="model">A classifier producing logits (N, classes).</param>
    /// <param name="train">Training examples.</param>
    /// <param name="test">Evaluation examples, or <c>null</c> to skip evaluation.</param>
    /// <param name="device">Device to train on; the model is moved there. Default: the model's device.</param>
    /// <param name="progress">Receives each epoch's metrics as soon as the epoch ends.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <param name="afterStep">
    /// Called after every optimizer step with the number of steps completed so far in this run (1, 2, …); returns
    /// <c>true</c> when it changed the pruning masks (as a <see cref="GradualSchedule"/> does), so they are re-read.
    /// </param>
    /// <returns>The per-epoch history.</returns>
    /// <exception cref="OperationCanceledException">Cancelled; the model keeps the weights of the last completed step and is left in eval mode.</exception>
    public TrainingHistory Fit(
        nn.Module<Tensor, Tensor> model,
        TensorDataset train,
        TensorDataset? test = null,
        Device? device = null,
        IProgress<EpochMetrics>? progress = null,
        CancellationToken cancellationToken = default,
        Func<long, bool>? afterStep = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
            throw new ArgumentException("The training set is empty.", nameof(train));
        TorchNativeLibraries.EnsureLoaded();
        if (device is not null)
            model.to(device);
        device = TorchDevice.Of(model);

        torch.manual_seed(Options.Seed);
        var masks = PruningMasks.Bindings(model);
        long steps = 0;
        PruningMasks.Apply(masks);
        using var optimizer = OptimizerFactory.Create(model.parameters(), Options);
        var epochs = new List<EpochMetrics>(Options.Epochs);
        try
        {
            for (var epoch = 1; epoch <= Options.Epochs; epoch++)
            {
                var watch = Stopwatch.StartNew();
                var trainLoss = RunEpoch(model, optimizer, ref masks, ref steps, afterStep, train, device, Options.Seed + epoch, cancellationToken);
                watch.Stop();
                var evaluation = test is null ? null : Evaluate(model, test, device: device);
                var metrics = new EpochMetrics(epoch, trainLoss, evaluation?.Loss, evaluation?.Accuracy, watch.Elapsed.TotalSeconds, Options.LearningRate);
                epochs.Add(metrics);
                progress?.Report(metrics);
            }
        }
        finally
        {
            model.eval();
        }
        return new TrainingHistory(model.GetType().Name, Options.Optimizer.Trim().ToLowerInvariant(), Options.BatchSize, epochs);
    }

    private double RunEpoch(
        nn.Module<Tensor, Tensor> model,
        optim.Optimizer optimizer,
        ref IReadOnlyList<(TorchSharp.Modules.Parameter Parameter, Tensor Mask)> masks,
        ref long steps,
        Func<long, bool>? afterStep,
        TensorDataset train,
        Device device,
        long seed,
        CancellationToken cancellationToken)
    {
        model.train();
        using var lossSum = zeros(1, dtype: ScalarType.Float64, device: device);
        using var batches = train.Batches(Options.BatchSize, shuffle: true, seed: seed).GetEnumerator();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            if (!batches.MoveNext())
                break;
            var (x, y) = batches.Current;
            x = x.to(device);
            y = y.to(device);
            optimizer.zero_grad();
            var loss = cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
            PruningMasks.Apply(masks);
            steps++;
            if (afterStep is not null && afterStep(steps))
                masks = PruningMasks.Bindings(model);
            lossSum.add_(loss.detach().to_type(ScalarType.Float64) * y.shape[0]);
        }
        return lossSum.cpu().item<double>() / train.Count;
    }

    /// <summary>
    /// Mean cross-entropy and accuracy of <paramref name="model"/> on <paramref name="data"/>, in eval mode and without
    /// gradients; the model's training mode is restored afterwards.
    /// </summary>
    /// <param name="model">A classifier producing logits (N, classes).</param>
    /// <param name="data">The examples.</param>
    /// <param name="batchSize">Examples per forward pass.</param>
    /// <param name="device">Device to evaluate on; default: the model's device.</param>
    /// <exception cref="ArgumentException">The dataset is empty or the batch size is not positive.</exception>
    public static Evaluation Evaluate(nn.Module<Tensor, Tensor> model, TensorDataset data, int batchSize = 1000, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0)
            throw new ArgumentException("The evaluation set is empty.", nameof(data));
        if (batchSize < 1)
            throw new ArgumentException($"Batch size must be at least 1, got {batchSize}.", nameof(batchSize));
        TorchNativeLibraries.EnsureLoaded();
        device ??= TorchDevice.Of(model);
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var totals = zeros(2, dtype: ScalarType.Float64, device: device);
            foreach (var (features, labels) in data.Batches(batchSize))
            {
                using var scope = NewDisposeScope();
                var x = features.to(device);
                var y = labels.to(device);
                var logits = model.call(x);
                var loss = cross_entropy(logits, y, reduction: nn.Reduction.Sum).to_type(ScalarType.Float64);
                var correct = logits.argmax(1).eq(y).sum().to_type(ScalarType.Float64);
                totals.add_(stack([loss, correct]));
                features.Dispose();
                labels.Dispose();
            }
            var values = totals.cpu().data<double>().ToArray();
            return new Evaluation(values[0] / data.Count, values[1] / data.Count, data.Count);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
