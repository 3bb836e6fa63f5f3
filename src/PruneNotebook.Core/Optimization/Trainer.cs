using System.Diagnostics;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization.Regularization;
using PruneNotebook.Core.Optimization.Schedules;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Runtime;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PruneNotebook.Core.Optimization;

/// <summary>
/// Trains a classifier with cross-entropy on mini-batches: optimizer by name, learning-rate schedule, regularization
/// penalty, validation split, early stopping, atomic checkpoints with exact resume, cooperative cancellation and
/// callbacks. The hot loop stays on the model's device: losses and counts are accumulated in device tensors and read
/// back once per epoch (and once per <see cref="ITrainingCallback.ProgressInterval"/> when a callback wants progress).
/// Pruned models train as in any loop: the masks' forward hooks (see <see cref="PruningMasks"/>) zero the pruned entries
/// before every forward pass — one in-place multiply per masked tensor, which also undoes whatever momentum, weight decay
/// or Adam's moments moved them by — and the model leaves <see cref="Fit"/> with its pruned entries exactly zero.
/// A small network (parameters × batch size below 2²¹, such as a tabular MLP) trains on one libtorch thread, which is
/// faster for it, and the caller's thread count is given back afterwards; <c>PRUNENOTEBOOK_KEEP_THREADS=1</c> keeps the
/// caller's count throughout.
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
    /// Trains <paramref name="model"/> in place for <see cref="TrainerOptions.Epochs"/> epochs (fewer when early stopping
    /// ends the run) and evaluates it on the validation set after each epoch.
    /// </summary>
    /// <param name="model">A classifier producing logits (N, classes).</param>
    /// <param name="train">Training examples.</param>
    /// <param name="validation">
    /// Evaluation examples, or <c>null</c>: then <see cref="TrainerOptions.ValidationFraction"/> of <paramref name="train"/>
    /// is held out (seeded), or nothing is evaluated when that fraction is 0.
    /// </param>
    /// <param name="device">Device to train on; the model is moved there. Default: the model's device.</param>
    /// <param name="progress">Receives each epoch's metrics as soon as the epoch ends.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <param name="afterStep">
    /// Called after every optimizer step with the number of steps completed so far in this run (1, 2, …); it may prune
    /// further (as a <see cref="GradualSchedule"/> does): the next forward pass applies the new masks.
    /// </param>
    /// <param name="callbacks">Observers of progress and epochs; any of them can stop the run.</param>
    /// <param name="resumeFrom">
    /// A checkpoint written by a run with the same optimizer, batch size and seed: the model, optimizer, schedule,
    /// early-stopping state, random state and history are restored and training continues after its last epoch.
    /// </param>
    /// <returns>The per-epoch history (including the epochs of a resumed checkpoint).</returns>
    /// <exception cref="ArgumentException">The data or the options do not fit (said before any training starts).</exception>
    /// <exception cref="InvalidDataException">The checkpoint cannot be resumed (the model is left as it was).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the model keeps the weights of the last completed step and is left in eval mode.</exception>
    public TrainingHistory Fit(
        nn.Module<Tensor, Tensor> model,
        TensorDataset train,
        TensorDataset? validation = null,
        Device? device = null,
        IProgress<EpochMetrics>? progress = null,
        CancellationToken cancellationToken = default,
        Action<long>? afterStep = null,
        IReadOnlyList<ITrainingCallback>? callbacks = null,
        string? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        CheckData(train, validation);
        if (resumeFrom is not null && !File.Exists(resumeFrom))
            throw new ArgumentException($"Checkpoint to resume from not found: '{resumeFrom}'.", nameof(resumeFrom));
        TorchNativeLibraries.EnsureLoaded();
        var regularized = Options.Regularizer is null ? null : Regularizers.Select(model, Options.RegularizedParameters).Select(p => (Tensor)p).ToList();
        if (device is not null)
            model.to(device);
        device = TorchDevice.Of(model);
        // A small network's steps are too small to split: one libtorch thread, the caller's count given back afterwards.
        using var threads = SmallNetworkThreads.For(model, Options.BatchSize);

        var (trainSet, validationSet, ownsSplit) = Split(train, validation);
        try
        {
            // Dropout draws from the global generator: seeded for this run, the caller's state restored afterwards.
            using var seeded = SeededGlobalRandom.Seed(Options.Seed);
            using var optimizer = OptimizerFactory.Create(model.parameters(), Options);
            using var run = new TrainingRun();
            if (resumeFrom is not null)
                CheckpointFile.Resume(resumeFrom, model, optimizer, run, Options);
            // The masks' hooks also on this model (it may have been pruned through one of its parts), applied from the start.
            PruningMasks.Sync(model);
            PruningMasks.Apply(model);
            var loop = new EpochLoop(this, model, optimizer, run, device, regularized, afterStep, callbacks ?? [], cancellationToken);
            try
            {
                for (var epoch = run.EpochsCompleted + 1; epoch <= Options.Epochs; epoch++)
                {
                    var watch = Stopwatch.StartNew();
                    var (trainLoss, trainAccuracy, penalty) = loop.Run(epoch, trainSet);
                    watch.Stop();
                    // Interrupting validation stops the run too: the epoch is then not recorded nor checkpointed.
                    var evaluation = validationSet is null ? null : Evaluate(model, validationSet, device: device, cancellationToken: cancellationToken);
                    var metrics = new EpochMetrics(epoch, trainLoss, evaluation?.Loss, evaluation?.Accuracy, watch.Elapsed.TotalSeconds,
                        run.LearningRates.Count > 0 ? run.LearningRates[^1] : Options.LearningRate, trainAccuracy, penalty);
                    run.Epochs.Add(metrics);
                    run.EpochsCompleted = epoch;
                    progress?.Report(metrics);
                    var keepGoing = true;
                    foreach (var callback in loop.Callbacks)
                        keepGoing &= callback.OnEpochEnd(metrics);
                    if (Options.Schedule is { } schedule && LearningRateSchedules.MonitorOf(schedule) is { } watched)
                        run.ScheduleState = schedule.Observe(run.ScheduleState, Monitored(metrics, watched));
                    if (Options.EarlyStopping is { } stopping)
                        keepGoing &= UpdateEarlyStopping(model, run, epoch, Monitored(metrics, stopping.Monitor));
                    if (Options.CheckpointPath is { } path)
                        CheckpointFile.Save(path, model, optimizer, run, Options);
                    if (!keepGoing)
                        break;
                }
                if (Options.EarlyStopping is { RestoreBest: true } && run.BestEpoch is not null)
                    run.RestoreBest(model);
            }
            finally
            {
                model.eval();
                // Steps leave pruned entries moved until the next forward pass: the model leaves with its zeros in place.
                PruningMasks.Apply(model);
            }
            return new TrainingHistory(model.GetType().Name, Options.OptimizerName, Options.BatchSize, run.Epochs.ToList(), run.LearningRates.ToList(),
                Options.Schedule?.Describe(), Options.Regularizer?.Describe(),
                Options.EarlyStopping is { RestoreBest: true } ? run.BestEpoch : null, run.StoppedEarly);
        }
        finally
        {
            if (ownsSplit)
            {
                trainSet.Dispose();
                validationSet?.Dispose();
            }
        }
    }

    /// <summary>What <see cref="Fit"/> would do with these arguments: the settings and how many examples train and validate.</summary>
    /// <exception cref="ArgumentException">The data do not fit the options (as <see cref="Fit"/> would say).</exception>
    public TrainingPlan Plan(nn.Module model, TensorDataset train, TensorDataset? validation = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckData(train, validation);
        var held = validation is null ? Options.HeldOut(train.Count) : 0;
        var o = Options;
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var settings = new List<KeyValuePair<string, string>>
        {
            new("optimizer", o.OptimizerName switch
            {
                "sgd" => string.Format(c, "sgd (momentum {0}{1})", o.Momentum, o.Nesterov ? ", Nesterov" : ""),
                "rmsprop" => string.Format(c, "rmsprop (momentum {0})", o.Momentum),
                "adam" or "adamw" => string.Format(c, "{0} (betas {1}, {2})", o.OptimizerName, o.Beta1, o.Beta2),
                "gd" => "gd (full-batch gradient descent: one step per epoch)",
                var name => name,
            }),
            new("learning rate", o.LearningRate.ToString("G4", c)),
            new("schedule", o.Schedule?.Describe() ?? "fixed"),
            new("epochs", o.Epochs.ToString(c)),
            new("batch size", o.BatchSize.ToString(c)),
            new("weight decay", o.WeightDecay == 0 ? "none" : o.WeightDecay.ToString("G4", c) + (o.OptimizerName == "adamw" ? " (decoupled)" : " (coupled)")),
            new("regularizer", o.Regularizer?.Describe() ?? "none"),
            new("early stopping", o.EarlyStopping is { } e
                ? string.Format(c, "patience {0}, min delta {1}, on {2}{3}", e.Patience, e.MinDelta,
                    e.Monitor == MonitoredMetric.ValidationLoss ? "validation loss" : "validation accuracy", e.RestoreBest ? ", restore best" : "")
                : "none"),
            new("checkpoint", o.CheckpointPath ?? "none"),
            new("pruning masks", PruningMasks.Any(model) ? $"{PruningMasks.Of(model).Count} masked tensors kept at zero" : "none"),
            new("seed", o.Seed.ToString(c)),
        };
        return new TrainingPlan(model.GetType().Name, train.Count - held, validation?.Count ?? held, settings);
    }

    /// <summary>
    /// Mean cross-entropy and accuracy of <paramref name="model"/> on <paramref name="data"/>, in eval mode and without
    /// gradients; the model's training mode is restored afterwards.
    /// </summary>
    /// <param name="model">A classifier producing logits (N, classes).</param>
    /// <param name="data">The examples.</param>
    /// <param name="batchSize">Examples per forward pass.</param>
    /// <param name="device">Device to evaluate on; default: the model's device.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <exception cref="ArgumentException">The dataset is empty or the batch size is not positive.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the model's training mode is restored.</exception>
    public static Evaluation Evaluate(nn.Module<Tensor, Tensor> model, TensorDataset data, int batchSize = 1000, Device? device = null,
        CancellationToken cancellationToken = default)
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
            // Nothing updates the weights while evaluating: the masks are applied once, not before every batch.
            using var masks = PruningMasks.Settled(model);
            using var totals = zeros(2, dtype: ScalarType.Float64, device: device);
            foreach (var (features, labels) in data.Batches(batchSize))
            {
                using var scope = NewDisposeScope();
                if (cancellationToken.IsCancellationRequested)
                {
                    features.Dispose();
                    labels.Dispose();
                    cancellationToken.ThrowIfCancellationRequested();
                }
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

    /// <summary>The learning rate for the next step of <paramref name="run"/> in <paramref name="epoch"/>.</summary>
    internal double RateFor(TrainingRun run, int epoch) => Options.Schedule is not { } schedule
        ? Options.LearningRate
        : schedule.RateAt(schedule.Unit == ScheduleUnit.Step ? run.Steps : epoch - 1, Options.LearningRate, run.ScheduleState);

    private void CheckData(TensorDataset train, TensorDataset? validation)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
            throw new ArgumentException("The training set is empty.", nameof(train));
        train.CheckFinite("the training set");
        validation?.CheckFinite("the validation set");
        if (Options.EarlyStopping is not null && validation is null && Options.ValidationFraction == 0)
            throw new ArgumentException("Early stopping watches a validation metric: pass a validation set or set ValidationFraction above 0.", nameof(validation));
    }

    private (TensorDataset Train, TensorDataset? Validation, bool Owned) Split(TensorDataset train, TensorDataset? validation)
    {
        if (validation is not null || Options.ValidationFraction == 0)
            return (train, validation, false);
        var held = Options.HeldOut(train.Count);
        if (held < 1 || held >= train.Count)
            throw new ArgumentException(
                $"A validation fraction of {Options.ValidationFraction} of {train.Count} examples holds out {held}: expected at least 1 and fewer than all.",
                nameof(train));
        using var generator = new Generator((ulong)Options.Seed);
        using var order = randperm(train.Count, generator: generator);
        using var validationIndices = order.narrow(0, 0, held);
        using var trainIndices = order.narrow(0, held, train.Count - held);
        return (train.Subset(trainIndices), train.Subset(validationIndices), true);
    }

    /// <summary>The watched metric of an epoch; without a validation set, the training loss or accuracy stands in.</summary>
    private static double Monitored(EpochMetrics metrics, MonitoredMetric monitor) => monitor == MonitoredMetric.ValidationAccuracy
        ? metrics.TestAccuracy ?? metrics.TrainAccuracy ?? 0
        : metrics.TestLoss ?? metrics.TrainLoss;

    /// <summary>Updates the best metric; returns <c>false</c> when patience has run out.</summary>
    private bool UpdateEarlyStopping(nn.Module model, TrainingRun run, int epoch, double monitored)
    {
        var stopping = Options.EarlyStopping!;
        if (stopping.Improves(monitored, run.Best))
        {
            run.Best = monitored;
            run.BestEpoch = epoch;
            run.BadEpochs = 0;
            if (stopping.RestoreBest)
                run.KeepBest(model);
            return true;
        }
        run.BadEpochs++;
        if (run.BadEpochs <= stopping.Patience)
            return true;
        run.StoppedEarly = epoch < Options.Epochs;
        return false;
    }

    /// <summary>Runs the batches of one epoch; keeps the per-run references out of <see cref="Fit"/>.</summary>
    private sealed class EpochLoop(
        Trainer trainer,
        nn.Module<Tensor, Tensor> model,
        optim.Optimizer optimizer,
        TrainingRun run,
        Device device,
        IReadOnlyList<Tensor>? regularized,
        Action<long>? afterStep,
        IReadOnlyList<ITrainingCallback> callbacks,
        CancellationToken cancellationToken)
    {
        private readonly TrainerOptions _options = trainer.Options;
        private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();
        private double _rate = double.NaN;

        public IReadOnlyList<ITrainingCallback> Callbacks => callbacks;

        /// <summary>One epoch; returns the mean data loss, training accuracy and mean penalty. Reads the device once, at the end.</summary>
        public (double Loss, double Accuracy, double Penalty) Run(int epoch, TensorDataset train)
        {
            model.train();
            var fullBatch = OptimizerFactory.IsFullBatch(_options.Optimizer);
            var batches = (train.Count + _options.BatchSize - 1) / _options.BatchSize;
            // Running sums on the device, one small kernel each per batch: data loss × batch size, correct predictions, penalty.
            using var lossSum = zeros(Array.Empty<long>(), dtype: ScalarType.Float64, device: device);
            using var correct = zeros(Array.Empty<long>(), dtype: ScalarType.Int64, device: device);
            using var penaltySum = zeros(Array.Empty<long>(), dtype: ScalarType.Float64, device: device);
            long batch = 0, stepsThisEpoch = 0;
            if (fullBatch)
                optimizer.zero_grad();
            using (var enumerator = train.Batches(_options.BatchSize, shuffle: !fullBatch, seed: _options.Seed + epoch).GetEnumerator())
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    if (!enumerator.MoveNext())
                        break;
                    var (features, labels) = enumerator.Current;
                    var x = features.to(device);
                    var y = labels.to(device);
                    if (!fullBatch)
                        optimizer.zero_grad();
                    var logits = model.call(x);
                    var loss = cross_entropy(logits, y);
                    var objective = fullBatch ? loss * ((double)y.shape[0] / train.Count) : loss;
                    if (!fullBatch && regularized is not null)
                    {
                        var penalty = _options.Regularizer!.Penalty(regularized);
                        objective = objective + penalty;
                        penaltySum.add_(penalty.detach());
                    }
                    objective.backward();
                    using (no_grad())
                    {
                        lossSum.add_(loss.detach(), alpha: y.shape[0]);
                        correct.add_(logits.argmax(1).eq(y).sum());
                    }
                    if (!fullBatch)
                    {
                        Step(epoch);
                        stepsThisEpoch++;
                    }
                    batch++;
                    Report(epoch, batch, batches, lossSum, train.Count);
                }
            }
            if (fullBatch)
            {
                using var scope = NewDisposeScope();
                if (regularized is not null)
                {
                    var penalty = _options.Regularizer!.Penalty(regularized);
                    penalty.backward();
                    penaltySum.add_(penalty.detach());
                }
                Step(epoch);
                stepsThisEpoch = 1;
            }
            using var sums = stack([lossSum, correct.to_type(ScalarType.Float64), penaltySum]).cpu();
            var values = sums.data<double>().ToArray();
            return (values[0] / train.Count, values[1] / train.Count, values[2] / Math.Max(1, stepsThisEpoch));
        }

        private void Step(int epoch)
        {
            var rate = trainer.RateFor(run, epoch);
            if (rate != _rate)
            {
                OptimizerFactory.SetLearningRate(optimizer, rate);
                _rate = rate;
            }
            optimizer.step();
            run.Steps++;
            run.LearningRates.Add(rate);
            afterStep?.Invoke(run.Steps);
        }

        private void Report(int epoch, long batch, long batches, Tensor lossSum, long count)
        {
            if (callbacks.Count == 0 || _sinceProgress.Elapsed < callbacks.Min(c => c.ProgressInterval))
                return;
            var seen = Math.Min(count, batch * _options.BatchSize);
            var progress = new TrainingProgress(epoch, _options.Epochs, batch, batches, lossSum.cpu().item<double>() / seen,
                run.LearningRates.Count > 0 ? run.LearningRates[^1] : _options.LearningRate);
            foreach (var callback in callbacks)
                callback.OnProgress(progress);
            _sinceProgress.Restart();
        }
    }
}
