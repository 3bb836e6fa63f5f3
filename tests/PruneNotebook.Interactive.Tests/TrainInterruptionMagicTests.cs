using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using PruneNotebook.Core.Optimization;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;
using TensorDataset = PruneNotebook.Core.Data.TensorDataset;

namespace PruneNotebook.Interactive.Tests;

/// <summary>
/// <c>#!train</c> stopped by the kernel's own Cancel command (what the notebook's stop button sends) in each phase of the
/// second of three epochs: the one line the cell answers with (.NET Interactive's own "Command cancelled."), the kernel
/// answering the next cell, the model in eval mode
/// with finite weights, and the checkpoint left on disk a whole one of epoch 1, alone in its folder.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class TrainInterruptionMagicTests : KernelTestBase, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-train-interrupt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A small network that runs a hook at a given training forward pass, or at the first evaluation after it.</summary>
    public sealed class Stoppable : nn.Module<Tensor, Tensor>
    {
        private readonly Linear fc1 = nn.Linear(8, 16), fc2 = nn.Linear(16, 4);

        public Stoppable() : base(nameof(Stoppable)) => RegisterComponents();

        public int TrainingForwards { get; private set; }

        public int StopAtTrainingForward { get; init; } = -1;

        public int StopAtEvaluationAfter { get; init; } = -1;

        public Action? Stop { get; set; }

        public override Tensor forward(Tensor input)
        {
            if (training && ++TrainingForwards == StopAtTrainingForward)
                Stop?.Invoke();
            else if (!training && TrainingForwards == StopAtEvaluationAfter)
                Stop?.Invoke();
            return fc2.call(relu(fc1.call(input)));
        }
    }

    /// <summary>(phase, the model that stops there): 40 examples in batches of 8 are 5 steps an epoch; epoch 2 is steps 6 to 10.</summary>
    public static readonly (string Phase, Func<Stoppable> Model)[] Matrix =
    [
        ("epoch 2, step 8", () => new Stoppable { StopAtTrainingForward = 8 }),
        ("epoch 2, validation", () => new Stoppable { StopAtEvaluationAfter = 10 }),
    ];

    [Fact]
    public async Task Training_cancelled_by_the_kernel_in_any_phase_is_one_line_and_leaves_a_whole_checkpoint()
    {
        var generator = new Generator(9);
        await CSharp.SetValueAsync("train8", new TensorDataset(randn([40, 8], generator: generator), randint(4, [40], generator: generator)), typeof(TensorDataset));
        await CSharp.SetValueAsync("valid8", new TensorDataset(randn([1200, 8], generator: generator), randint(4, [1200], generator: generator)), typeof(TensorDataset));
        var problems = new List<string>();
        foreach (var (phase, create) in Matrix)
        {
            var folder = Directory.CreateDirectory(Path.Combine(_folder, phase.Replace(' ', '-').Replace(",", "", StringComparison.Ordinal))).FullName;
            var checkpoint = Path.Combine(folder, "run.ckpt");
            var model = create();
            // What the stop button does: a Cancel command while the cell runs; the hook waits until the cell's token has seen it.
            model.Stop = () =>
            {
                var token = KernelInvocationContext.Current!.CancellationToken;
                _ = Task.Run(() => Kernel.SendAsync(new Cancel()));
                if (!SpinWait.SpinUntil(() => token.IsCancellationRequested, TimeSpan.FromSeconds(30)))
                    throw new TimeoutException("the Cancel command did not reach the cell");
            };
            await CSharp.SetValueAsync("stoppable", model, typeof(object));
            var result = await Kernel.SendAsync(new SubmitCode(
                $"#!train stoppable --data train8 --validation valid8 --epochs 3 --batch-size 8 --optimizer sgd --lr 0.05 --checkpoint {checkpoint}"));
            var failures = result.Events.OfType<CommandFailed>().ToList();
            var message = failures.Count == 1 ? failures[0].Message.Trim() : string.Join(" | ", failures.Select(f => f.Message));
            if (failures.Count != 1 || message.Contains('\n'))
                problems.Add($"{phase}: expected one line, got {failures.Count} failures: {message}");
            else if (message != "Command cancelled.")
                problems.Add($"{phase}: expected .NET Interactive's 'Command cancelled.', got: {message}");
            var next = await Kernel.SendAsync(new SubmitCode("1 + 1"));
            if (next.Events.OfType<CommandFailed>().Any() || !next.Events.OfType<ReturnValueProduced>().Any())
                problems.Add($"{phase}: the kernel did not answer the next cell");
            if (model.training)
                problems.Add($"{phase}: the model was left in training mode");
            if (model.parameters().Any(p => !p.isfinite().all().item<bool>()))
                problems.Add($"{phase}: the model holds non-finite weights");
            var left = Directory.GetFiles(folder).Select(Path.GetFileName).ToList();
            if (!left.SequenceEqual(["run.ckpt"]))
                problems.Add($"{phase}: the folder holds {string.Join(", ", left)}");
            else if (CheckpointFile.Inspect(checkpoint).EpochsCompleted != 1)
                problems.Add($"{phase}: the checkpoint holds {CheckpointFile.Inspect(checkpoint).EpochsCompleted} epochs, expected 1");
        }
        Assert.True(problems.Count == 0, $"{problems.Count} problems in {Matrix.Length} rows:\n" + string.Join("\n", problems));
    }
}
