using System.Diagnostics;
using System.Globalization;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Bench;

/// <summary>
/// `pruning`: 90 % global magnitude pruning of a 16.8 M-weight MLP (ours vs PyTorch's API, its kthvalue threshold and one
/// read+write pass), and masked-training step time against dense on LeNet-5 and on the MLP.
/// </summary>
public static class GlobalPruningBenchmark
{
    public static int Run(string[] args)
    {
        var threads = Option(args, "--threads", 2);
        var repeats = Option(args, "--repeats", 3);
        var steps = Option(args, "--steps", 30);
        torch.set_num_threads(threads);
        var root = RepositoryRoot.Find();

        Console.WriteLine($"90 % global magnitude pruning of a 16.8 M-weight MLP (2048→4096→2048→10), {threads} threads, median of {repeats}");
        var ours = MedianPruneSeconds(repeats);
        var oursWarm = MedianWarmPruneSeconds(repeats);
        var report = MedianReportSeconds(Math.Max(repeats, 5));
        var mask = MedianMaskSeconds(Math.Max(repeats, 5));
        var onePass = MedianSeconds(Math.Max(repeats, 5), () =>
        {
            var model = Mlp();
            var weights = model.parameters().Where(p => p.dim() == 2).ToList();
            var ones = weights.Select(w => ones_like(w)).ToList();
            return () =>
            {
                using var noGrad = no_grad();
                for (var i = 0; i < weights.Count; i++)
                    weights[i].mul_(ones[i]);
            };
        });
        var peer = RunPeer(root, threads, repeats);
        var table = new List<(string, string, string)>
        {
            ("global mask (API), fresh model", Ms(ours), peer is null ? "n/a" : Ms(peer.Value.Api)),
            ("global mask (API), warm: same model again", Ms(oursWarm), peer is null ? "n/a" : Ms(peer.Value.ApiWarm)),
            ("  of which the SparsityReport it returns", Ms(report), "(none)"),
            ("exact keep masks from the weights (scores, threshold, masks)", Ms(mask), peer is null ? "n/a" : Ms(peer.Value.Mask)),
            ("  kthvalue threshold only", "", peer is null ? "n/a" : Ms(peer.Value.Kth)),
            ("one read+write pass", Ms(onePass), peer is null ? "n/a" : Ms(peer.Value.Pass)),
        };
        Print(["", "ours (TorchSharp)", "PyTorch 1.13"], table);
        if (peer is not null)
            Console.WriteLine($"ours vs PyTorch API: {peer.Value.Api / ours:F1}× faster fresh, {peer.Value.ApiWarm / oursWarm:F1}× warm; " +
                              $"keep masks {peer.Value.Mask / mask:F1}× faster");
        Console.WriteLine($"ours: exact keep masks = {mask / onePass:F1}× one pass (target ≤ 10×); API = {ours / onePass:F0}× fresh, {oursWarm / onePass:F0}× warm");

        Console.WriteLine();
        Console.WriteLine($"Masked training: fastest of {steps} steps (LeNet-5: {4 * steps}) after 3 warm-up steps, batch 128, Adam; runs alternate, median of {repeats} runs (LeNet-5: {2 * repeats})");
        Console.WriteLine("  'pruned, not re-masked': the same pruned network with its masks made permanent, so only the re-masking differs");
        var rows = new List<(string, string, string)>();
        // The MLP is also trained pruned 90 % per layer: 90 % global pruning zeroes its 4096→2048 layer entirely (its
        // init range, ±1/√4096, lies below the threshold; PyTorch's mask is the same), a dead network whose steps differ
        // from dense ones for reasons of its own, not the masking's: every gradient of its first layer is exactly zero,
        // and libtorch's CPU sqrt (MKL VML), which Adam applies to the second moments, is ~10× slower on exact zeros.
        // LeNet-5's step is ~9 ms: it gets 4× the steps and twice the runs (still a few seconds) against the VM's noise.
        foreach (var (name, factory, shape, scope, scale) in new (string, Func<nn.Module<Tensor, Tensor>>, long[], PruningScope, int)[]
                 {
                     ("LeNet-5, global", () => { manual_seed(0); return new LeNet5(); }, [1, 28, 28], PruningScope.Global, 4),
                     ("MLP 16.8 M, global", Mlp, [2048], PruningScope.Global, 1),
                     ("MLP 16.8 M, per layer", Mlp, [2048], PruningScope.Local, 1),
                 })
        {
            var runs = Enum.GetValues<Training>().ToDictionary(t => t, _ => new List<double>());
            // The order reverses every run (dense, masked, unmasked; then unmasked, masked, dense), so drift over the
            // process's life — its heap grows, this VM's page faults come and go — falls on all alike.
            for (var r = 0; r < repeats * Math.Min(scale, 2); r++)
            {
                foreach (var training in r % 2 == 0 ? Enum.GetValues<Training>() : Enum.GetValues<Training>().Reverse())
                    runs[training].Add(StepSeconds(factory(), shape, steps * scale, scope, training));
            }
            var (dense, masked, unmasked) = (Median(runs[Training.Dense]), Median(runs[Training.Masked]), Median(runs[Training.PrunedNotRemasked]));
            var reapply = ReapplySeconds(factory(), scope);
            rows.Add((name, $"dense {dense * 1000:F2} ms → masked {masked * 1000:F2} ms", $"{masked / dense:F3}× (target ≤ 1.02×)"));
            rows.Add(("", $"  pruned, not re-masked {unmasked * 1000:F2} ms → masked", $"{masked / unmasked:F3}×"));
            rows.Add(("", $"  re-masking alone: {reapply * 1000:F3} ms", $"{1 + reapply / dense:F4}× of dense"));
        }
        Print(["model", "time per step", "ratio"], rows);
        return 0;
    }

    private static nn.Module<Tensor, Tensor> Mlp()
    {
        manual_seed(0);
        return nn.Sequential(nn.Linear(2048, 4096), nn.ReLU(), nn.Linear(4096, 2048), nn.ReLU(), nn.Linear(2048, 10));
    }

    /// <summary>How a masked-training run trains: dense, pruned with its masks kept, or pruned with the masks made permanent.</summary>
    private enum Training { Dense, Masked, PrunedNotRemasked }

    /// <summary>The fastest training step of <paramref name="model"/>, pruned 90 % in <paramref name="scope"/> first unless dense.</summary>
    private static double StepSeconds(nn.Module<Tensor, Tensor> model, long[] example, int steps, PruningScope scope, Training training)
    {
        if (training != Training.Dense)
            Prune(model, scope);
        if (training == Training.PrunedNotRemasked)
            PruningMasks.MakePermanent(model);
        var generator = new Generator(1);
        var count = 128 * (steps + 3);
        using var data = new TensorDataset(randn([count, .. example], generator: generator), randint(10, [count], generator: generator));
        using var warm = data.Subset(arange(128 * 3));
        using var timed = data.Subset(arange(128 * 3, count));
        var trainer = new Trainer(new TrainerOptions(Epochs: 1, BatchSize: 128));
        trainer.Fit(model, warm);
        var times = new List<double>(steps);
        var watch = Stopwatch.StartNew();
        trainer.Fit(model, timed, afterStep: _ =>
        {
            times.Add(watch.Elapsed.TotalSeconds);
            watch.Restart();
            return false;
        });
        model.Dispose();
        // Free the run's optimizer state and gradients now, not whenever finalizers run, so the next run starts alike.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // The fastest step, as timeit advises: on this kind of VM some steps map 32–96 MB of fresh pages (8–25 K minor
        // faults, +50–250 ms on a 120 ms MLP step) and in some runs most do; the fastest step is the step's own cost.
        return times.Min();
    }

    /// <summary>The only extra work of a masked step: multiplying every masked weight by its mask once (median of 50).</summary>
    private static double ReapplySeconds(nn.Module<Tensor, Tensor> model, PruningScope scope)
    {
        Prune(model, scope);
        var times = new List<double>();
        for (var i = 0; i < 51; i++)
        {
            var watch = Stopwatch.StartNew();
            PruningMasks.Apply(model);
            times.Add(watch.Elapsed.TotalSeconds);
        }
        return Median(times);
    }

    internal static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static double MedianSeconds(int repeats, Func<Action> setup)
    {
        var times = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var action = setup();
            action(); // the first call of a fresh model includes first-touch allocations, as PyTorch's does
            var fresh = setup();
            var watch = Stopwatch.StartNew();
            fresh();
            times.Add(watch.Elapsed.TotalSeconds);
        }
        return Median(times);
    }

    /// <summary>The pruning the mask timings measure: 90 % global L1 over every weight.</summary>
    private static void PruneGlobally(nn.Module<Tensor, Tensor> model) => Prune(model, PruningScope.Global);

    /// <summary>90 % L1 pruning of every weight, globally or per layer.</summary>
    private static void Prune(nn.Module<Tensor, Tensor> model, PruningScope scope) =>
        Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.9), new MagnitudeCriterion(1), scope);

    /// <summary>
    /// Median time of <see cref="PruneGlobally"/> on a fresh MLP. Each model and its masks are freed before the next is
    /// built, as the peer's reference counting frees them, so both sides reuse memory the same way; one untimed
    /// round first touches the memory (on this kind of VM a fresh 64 MB costs ~200 ms of page faults, on either side).
    /// </summary>
    private static double MedianPruneSeconds(int repeats)
    {
        var times = new List<double>();
        for (var i = 0; i <= repeats; i++)
        {
            var model = Mlp();
            var watch = Stopwatch.StartNew();
            PruneGlobally(model);
            if (i > 0)
                times.Add(watch.Elapsed.TotalSeconds);
            PruningMasks.MakePermanent(model);
            model.Dispose();
        }
        return Median(times);
    }

    /// <summary>Median time of pruning one MLP again after <see cref="PruningMasks.Reset"/> restored it (memory warm).</summary>
    private static double MedianWarmPruneSeconds(int repeats)
    {
        using var model = Mlp();
        var times = new List<double>();
        for (var i = 0; i <= repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            PruneGlobally(model);
            if (i > 0)
                times.Add(watch.Elapsed.TotalSeconds);
            PruningMasks.Reset(model);
        }
        return Median(times);
    }

    /// <summary>Median time of the <see cref="SparsityReport"/> that <see cref="Pruner.Unstructured"/> returns, on the pruned MLP.</summary>
    private static double MedianReportSeconds(int repeats)
    {
        using var model = Mlp();
        PruneGlobally(model);
        return MedianSeconds(repeats, () => () => SparsityReport.Create(model));
    }

    /// <summary>
    /// Median time of the exact global mask alone on a warm MLP: magnitude scores of every weight, then
    /// <see cref="KSmallest.KeepInPlace"/> turning them into keep masks (what PyTorch's threshold-and-compare row does).
    /// </summary>
    private static double MedianMaskSeconds(int repeats)
    {
        using var model = Mlp();
        var weights = model.parameters().Where(p => p.dim() == 2).ToList();
        var k = (long)Math.Round(0.9 * weights.Sum(w => w.numel()));
        var criterion = new MagnitudeCriterion(1);
        using var context = new ScoringContext(model);
        // A 20 ms operation on a noisy VM: three times the usual repeats, after two untimed calls.
        var times = new List<double>();
        for (var i = 0; i < 3 * repeats + 2; i++)
        {
            using var scope = NewDisposeScope();
            var watch = Stopwatch.StartNew();
            KSmallest.KeepInPlace(weights.Select(w => criterion.ScoreEntries(w, "weight", context).flatten()).ToList(), k);
            if (i >= 2)
                times.Add(watch.Elapsed.TotalSeconds);
        }
        return Median(times);
    }

    private static (double Api, double ApiWarm, double Kth, double Mask, double Pass)? RunPeer(string root, int threads, int repeats)
    {
        var result = PyTorchPeer.RunScript(root, "bench/python/global_pruning.py",
            ["--threads", threads.ToString(CultureInfo.InvariantCulture), "--repeats", repeats.ToString(CultureInfo.InvariantCulture)], out var problem);
        if (result is not { } r)
        {
            Console.WriteLine(problem);
            return null;
        }
        return (r.GetProperty("api_seconds").GetDouble(), r.GetProperty("api_warm_seconds").GetDouble(), r.GetProperty("kthvalue_seconds").GetDouble(),
            r.GetProperty("mask_seconds").GetDouble(), r.GetProperty("pass_seconds").GetDouble());
    }

    private static string Ms(double seconds) => $"{seconds * 1000:F1} ms";

    internal static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) && v > 0 ? v
            : i >= 0 ? throw new ArgumentException($"{name} needs a positive whole number.") : fallback;
    }

    private static void Print(string[] headers, List<(string, string, string)> rows)
    {
        var cells = new List<string[]> { headers };
        cells.AddRange(rows.Select(r => new[] { r.Item1, r.Item2, r.Item3 }));
        var widths = Enumerable.Range(0, 3).Select(c => cells.Max(r => r[c].Length)).ToArray();
        foreach (var row in cells)
            Console.WriteLine("  " + string.Join("   ", row.Select((v, c) => v.PadRight(widths[c]))));
    }
}
