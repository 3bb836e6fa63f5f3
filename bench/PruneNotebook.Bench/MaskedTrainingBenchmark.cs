using System.Diagnostics;
using System.Globalization;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PruneNotebook.Bench;

/// <summary>
/// `masked-training`: the cost of keeping pruning masks during training, which the masks' forward hooks pay in every
/// loop. Time per Adam step (batch 128) of LeNet-5 (90 % global L1) and of a 16.8 M-weight MLP (90 % L1 per layer),
/// dense against pruned, in a user's own TorchSharp loop and in <see cref="Trainer"/>, beside PyTorch's dense and
/// <c>torch.nn.utils.prune</c> steps in the same plain loop (bench/python/masked_training.py).
/// </summary>
public static class MaskedTrainingBenchmark
{
    private enum Loop { User, Trainer }

    public static int Run(string[] args)
    {
        var threads = GlobalPruningBenchmark.Option(args, "--threads", 2);
        var repeats = GlobalPruningBenchmark.Option(args, "--repeats", 3);
        var steps = GlobalPruningBenchmark.Option(args, "--steps", 30);
        torch.set_num_threads(threads);
        var root = RepositoryRoot.Find();
        Console.WriteLine($"Masked training: Adam, batch 128, {threads} threads; each run's fastest step after 3 warm-up steps, " +
                          $"median over runs (LeNet-5: {4 * steps} steps, {2 * repeats} runs; MLP: {steps} steps, {repeats} runs); " +
                          "dense and masked runs alternate (ABBA)");
        var peer = RunPeer(root, threads, repeats, steps);
        var rows = new List<string[]>();
        foreach (var (name, key, factory, shape, scope, scale) in new (string, string, Func<nn.Module<Tensor, Tensor>>, long[], PruningScope, int)[]
                 {
                     ("LeNet-5, 90 % global", "lenet5", () => { manual_seed(0); return new LeNet5(); }, [1, 28, 28], PruningScope.Global, 4),
                     ("MLP 16.8 M, 90 % per layer", "mlp", Mlp, [2048], PruningScope.Local, 1),
                 })
        {
            var userDense = double.NaN;
            foreach (var loop in Enum.GetValues<Loop>())
            {
                var dense = new List<double>();
                var masked = new List<double>();
                for (var r = 0; r < repeats * Math.Min(scale, 2); r++)
                {
                    var order = r % 2 == 0 ? new[] { false, true } : [true, false];
                    foreach (var prune in order)
                        (prune ? masked : dense).Add(FastestStep(factory(), shape, steps * scale, prune ? scope : null, loop));
                }
                var (d, m) = (GlobalPruningBenchmark.Median(dense), GlobalPruningBenchmark.Median(masked));
                if (loop == Loop.User)
                    userDense = d;
                var peerCell = "";
                if (loop == Loop.User && peer?.TryGetProperty(key, out var p) == true)
                {
                    var (pd, pm) = (p.GetProperty("dense_seconds").GetDouble(), p.GetProperty("pruned_seconds").GetDouble());
                    peerCell = $"{Ms(pd)} → {Ms(pm)} ({pm / pd:F3}×)";
                }
                rows.Add([loop == Loop.User ? name : "", loop == Loop.User ? "user loop" : "Trainer.Fit", $"{Ms(d)} → {Ms(m)}", $"{m / d:F3}×", peerCell]);
            }
            var apply = ApplySeconds(factory(), scope);
            rows.Add(["", "masking alone (one hook pass)", Ms(apply), $"{apply / userDense * 100:F2} % of a dense step", ""]);
        }
        Print(["model", "loop", "ours dense → masked", "masked ÷ dense (goal ≤ 1.02×)", "PyTorch 1.13 dense → prune (plain loop)"], rows);
        if (peer is null)
            Console.WriteLine("PyTorch peer: not run (see the line above).");
        return 0;
    }

    private static nn.Module<Tensor, Tensor> Mlp()
    {
        manual_seed(0);
        return nn.Sequential(nn.Linear(2048, 4096), nn.ReLU(), nn.Linear(4096, 2048), nn.ReLU(), nn.Linear(2048, 10));
    }

    /// <summary>The fastest training step of <paramref name="model"/>, pruned 90 % first when <paramref name="scope"/> is given.</summary>
    private static double FastestStep(nn.Module<Tensor, Tensor> model, long[] example, int steps, PruningScope? scope, Loop loop)
    {
        if (scope is { } s)
            Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.9), new MagnitudeCriterion(1), s);
        var generator = new Generator(1);
        var count = 128 * (steps + 3);
        var times = new List<double>(steps);
        using (var x = randn([count, .. example], generator: generator))
        using (var y = randint(10, [count], generator: generator))
        {
            if (loop == Loop.User)
                UserLoop(model, x, y, steps, times);
            else
                TrainerLoop(model, x, y, times);
        }
        model.Dispose();
        // Free the run's optimizer state and gradients now, not whenever finalizers run, so the next run starts alike.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // The fastest step, as timeit advises: on this kind of VM some steps map fresh pages (thousands of minor faults,
        // +50–250 ms on a 120 ms MLP step); the fastest step is the step's own cost.
        return times.Min();
    }

    /// <summary>What a user writes: Adam over the model's parameters, zero_grad / forward / backward / step, nothing of ours.</summary>
    private static void UserLoop(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, int steps, List<double> times)
    {
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        model.train();
        for (var step = 0; step < steps + 3; step++)
        {
            var watch = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            {
                optimizer.zero_grad();
                cross_entropy(model.call(x[(128 * step)..(128 * (step + 1))]), y[(128 * step)..(128 * (step + 1))]).backward();
                optimizer.step();
            }
            if (step >= 3)
                times.Add(watch.Elapsed.TotalSeconds);
        }
    }

    private static void TrainerLoop(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, List<double> times)
    {
        using var data = new TensorDataset(x.alias(), y.alias());
        using var warm = data.Subset(arange(128 * 3));
        using var timed = data.Subset(arange(128 * 3, x.shape[0]));
        var trainer = new Trainer(new TrainerOptions(Epochs: 1, BatchSize: 128));
        trainer.Fit(model, warm);
        var watch = Stopwatch.StartNew();
        trainer.Fit(model, timed, afterStep: _ =>
        {
            times.Add(watch.Elapsed.TotalSeconds);
            watch.Restart();
        });
    }

    /// <summary>The work the hooks add to a step: applying every mask once (median of 51).</summary>
    private static double ApplySeconds(nn.Module<Tensor, Tensor> model, PruningScope scope)
    {
        Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.9), new MagnitudeCriterion(1), scope);
        var times = new List<double>();
        for (var i = 0; i < 51; i++)
        {
            var watch = Stopwatch.StartNew();
            PruningMasks.Apply(model);
            times.Add(watch.Elapsed.TotalSeconds);
        }
        model.Dispose();
        return GlobalPruningBenchmark.Median(times);
    }

    private static System.Text.Json.JsonElement? RunPeer(string root, int threads, int repeats, int steps)
    {
        var result = PyTorchPeer.RunScript(root, "bench/python/masked_training.py",
            ["--threads", threads.ToString(CultureInfo.InvariantCulture), "--repeats", repeats.ToString(CultureInfo.InvariantCulture),
             "--steps", steps.ToString(CultureInfo.InvariantCulture)], out var problem);
        if (result is null)
            Console.WriteLine(problem);
        return result;
    }

    private static string Ms(double seconds) => $"{seconds * 1000:F2} ms";

    private static void Print(string[] headers, List<string[]> rows)
    {
        var cells = new List<string[]> { headers };
        cells.AddRange(rows);
        var widths = Enumerable.Range(0, headers.Length).Select(c => cells.Max(r => r[c].Length)).ToArray();
        foreach (var row in cells)
            Console.WriteLine("  " + string.Join("   ", row.Select((v, c) => v.PadRight(widths[c]))));
    }
}
