using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Optimization.Schedules;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;
using TensorDataset = PruneNotebook.Core.Data.TensorDataset;

namespace PruneNotebook.Core.Tests;

/// <summary>
/// A training run of a pruned model interrupted in each phase through the Trainer's own paths (its cancellation token,
/// its callbacks, its schedule, the model it calls, its checkpoint write), each triggered at a fixed step of the second
/// of three epochs. Every row checks: the run stops with the expected exception; the model is in eval mode with exactly
/// the weights an uninterrupted run had after the last completed step (pruned entries zero); the checkpoint on disk is
/// a whole one, of epoch 1 (old) or 2 (new) as the row says, and nothing else (no temporary file) is left in its folder.
/// </summary>
public sealed class TrainingInterruptionTests : IDisposable
{
    private const int Steps = 5; // 40 examples in batches of 8

    private readonly string _folder = Directory.CreateTempSubdirectory("training-interruption-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Where a row interrupts the run.</summary>
    public enum Phase { ProgressCancels, ProgressThrows, ScheduleThrows, ValidationCancels, ValidationThrows, EpochEndThrows, EpochEndCancels, CheckpointWriteFails }

    /// <summary>(phase, exception expected, optimizer steps completed, epochs in the checkpoint left on disk).</summary>
    public static readonly (Phase Phase, Type Exception, int Completed, int CheckpointEpochs)[] Matrix =
    [
        // During an epoch: after the third step of epoch 2 (the token is checked before the next batch).
        (Phase.ProgressCancels, typeof(OperationCanceledException), Steps + 3, 1),
        (Phase.ProgressThrows, typeof(InvalidOperationException), Steps + 3, 1),
        // The schedule asked for the rate of step 4 of epoch 2: three steps of epoch 2 completed.
        (Phase.ScheduleThrows, typeof(InvalidOperationException), Steps + 3, 1),
        // During epoch 2's validation: every step of the epoch done, the epoch neither recorded nor checkpointed.
        (Phase.ValidationCancels, typeof(OperationCanceledException), 2 * Steps, 1),
        (Phase.ValidationThrows, typeof(InvalidOperationException), 2 * Steps, 1),
        // At the end of epoch 2: a callback that throws comes before the checkpoint; a cancellation is seen before the next batch.
        (Phase.EpochEndThrows, typeof(InvalidOperationException), 2 * Steps, 1),
        (Phase.EpochEndCancels, typeof(OperationCanceledException), 2 * Steps, 2),
        // The checkpoint of epoch 2 fails half-way through writing: the one of epoch 1 stays.
        (Phase.CheckpointWriteFails, typeof(InvalidOperationException), 2 * Steps, 1),
    ];

    [Fact]
    public void A_run_interrupted_in_any_phase_leaves_the_last_steps_weights_and_a_whole_checkpoint()
    {
        var generator = new Generator(5);
        using var train = new TensorDataset(randn([40, 8], generator: generator), randint(4, [40], generator: generator));
        // Two validation batches (the trainer evaluates 1000 at a time): a cancellation in the first is seen before the second.
        using var validation = new TensorDataset(randn([1200, 8], generator: generator), randint(4, [1200], generator: generator));

        // The uninterrupted run: the weights after every step, masks applied (as the next forward pass would).
        var reference = new List<Dictionary<string, Tensor>>();
        using (var model = Pruned())
        {
            var path = Path.Combine(_folder, "reference.ckpt");
            new Trainer(Options(path, new Schedule())).Fit(model, train, validation, afterStep: _ =>
            {
                PruningMasks.Apply(model);
                reference.Add(model.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone().DetachFromDisposeScope()));
            });
            File.Delete(path);
        }
        Assert.Equal(3 * Steps, reference.Count);

        var problems = new List<string>();
        foreach (var (phase, exception, completed, checkpointEpochs) in Matrix)
        {
            var folder = Directory.CreateDirectory(Path.Combine(_folder, phase.ToString())).FullName;
            var path = Path.Combine(folder, "run.ckpt");
            using var model = Pruned();
            using var cancel = new CancellationTokenSource();
            var schedule = new Schedule { ThrowAt = phase == Phase.ScheduleThrows ? Steps + 3 : -1 };
            var callback = new Callback(phase, cancel, model);
            model.OnEvalForward = () =>
            {
                if (model.TrainingForwards != 2 * Steps)
                    return;
                if (phase == Phase.ValidationCancels)
                    cancel.Cancel();
                else if (phase == Phase.ValidationThrows)
                    throw new InvalidOperationException("the model failed in eval mode");
            };
            Exception? thrown = null;
            try
            {
                new Trainer(Options(path, schedule)).Fit(model, train, validation, cancellationToken: cancel.Token, callbacks: [callback]);
            }
            catch (Exception e)
            {
                thrown = e;
            }
            if (thrown is null || !exception.IsInstanceOfType(thrown))
            {
                problems.Add($"{phase}: expected {exception.Name}, got {thrown?.GetType().Name ?? "no exception"}: {thrown?.Message}");
                continue;
            }
            if (model.training)
                problems.Add($"{phase}: the model was left in training mode");
            var expected = reference[completed - 1];
            foreach (var (name, value) in model.state_dict().Where(e => e.Key != "zz.broken"))
                if (!value.eq(expected[name]).all().item<bool>())
                    problems.Add($"{phase}: {name} is not the weight after step {completed} (max difference {value.sub(expected[name]).abs().max().item<float>()})");
            var left = Directory.GetFiles(folder).Select(Path.GetFileName).ToList();
            if (!left.SequenceEqual(["run.ckpt"]))
                problems.Add($"{phase}: the folder holds {string.Join(", ", left)}");
            else
            {
                try
                {
                    var info = CheckpointFile.Inspect(path);
                    if (info.EpochsCompleted != checkpointEpochs)
                        problems.Add($"{phase}: the checkpoint holds {info.EpochsCompleted} epochs, expected {checkpointEpochs}");
                }
                catch (InvalidDataException e)
                {
                    problems.Add($"{phase}: the checkpoint is not whole: {e.Message}");
                }
            }
        }
        foreach (var state in reference)
            foreach (var tensor in state.Values)
                tensor.Dispose();
        Assert.True(problems.Count == 0, $"{problems.Count} problems in {Matrix.Length} rows:\n" + string.Join("\n", problems));
    }

    private static TrainerOptions Options(string checkpoint, ILearningRateSchedule schedule) =>
        new(Epochs: 3, BatchSize: 8, LearningRate: 0.05, Optimizer: "sgd", Momentum: 0.9, Seed: 3, Schedule: schedule, CheckpointPath: checkpoint);

    /// <summary>The same small network every time, half of fc1 pruned.</summary>
    private static Probe Pruned()
    {
        manual_seed(17);
        var model = new Probe();
        new PruneRequest("0.5").Run(model, ["fc1.weight"]);
        return model;
    }

    /// <summary>A two-layer network that counts its training forwards, runs a hook in eval mode, and can be made to fail part-way through being written.</summary>
    private sealed class Probe : nn.Module<Tensor, Tensor>
    {
        private readonly Linear fc1 = nn.Linear(8, 16);
        private readonly Linear fc2 = nn.Linear(16, 4);
        private Tensor? _broken;

        public Probe() : base(nameof(Probe)) => RegisterComponents();

        public int TrainingForwards { get; private set; }

        public Action? OnEvalForward { get; set; }

        /// <summary>From now on the state ends with a released tensor: writing the model fails after its weights are written.</summary>
        public void BreakWriting()
        {
            _broken = zeros(3);
            _broken.Dispose();
        }

        public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null)
        {
            var state = base.state_dict(destination, prefix);
            if (_broken is not null)
                state["zz.broken"] = _broken;
            return state;
        }

        public override Tensor forward(Tensor input)
        {
            if (training)
                TrainingForwards++;
            else
                OnEvalForward?.Invoke();
            return fc2.call(relu(fc1.call(input)));
        }
    }

    /// <summary>A constant rate per step that throws when asked for step <see cref="ThrowAt"/>.</summary>
    private sealed class Schedule : ILearningRateSchedule
    {
        public long ThrowAt { get; init; } = -1;

        public ScheduleUnit Unit => ScheduleUnit.Step;

        public double RateAt(long t, double baseRate, ScheduleState state) =>
            t == ThrowAt ? throw new InvalidOperationException($"the schedule failed at step {t}") : baseRate;

        public string Describe() => "constant (test)";
    }

    /// <summary>Progress after every step and the end of every epoch, interrupting where its phase says.</summary>
    private sealed class Callback(Phase phase, CancellationTokenSource cancel, Probe model) : ITrainingCallback
    {
        private int _progress;

        public TimeSpan ProgressInterval => TimeSpan.Zero;

        public void OnProgress(TrainingProgress progress)
        {
            if (++_progress != Steps + 3)
                return;
            if (phase == Phase.ProgressCancels)
                cancel.Cancel();
            else if (phase == Phase.ProgressThrows)
                throw new InvalidOperationException("the progress callback failed");
        }

        public bool OnEpochEnd(EpochMetrics metrics)
        {
            if (metrics.Epoch != 2)
                return true;
            if (phase == Phase.EpochEndCancels)
                cancel.Cancel();
            else if (phase == Phase.EpochEndThrows)
                throw new InvalidOperationException("the epoch callback failed");
            else if (phase == Phase.CheckpointWriteFails)
                model.BreakWriting();
            return true;
        }
    }
}
