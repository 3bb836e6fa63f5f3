using System.Diagnostics;
using System.Globalization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Bench;

/// <summary>
/// `pruning`: 90 % global magnitude pruning of a 16.8 M-weight MLP (ours vs PyTorch's API, its kthvalue threshold and one
/// read+write pass). Masked training has its own benchmark (<see cref="MaskedTrainingBenchmark"/>).
/// </summary>
public static class GlobalPruningBenchmark
{
    public static int Run(string[] args)
    {
        var threads = Option(args, "--threads", 2);
        var repeats = Option(args, "--repeats", 3);
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

        return 0;
    }

    private static nn.Module<Tensor, Tensor> Mlp()
    {
        manual_seed(0);
        return nn.Sequential(nn.Linear(2048, 4096), nn.ReLU(), nn.Linear(4096, 2048), nn.ReLU(), nn.Linear(2048, 10));
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
    private static void PruneGlobally(nn.Module<Tensor, Tensor> model) =>
        Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.9), new MagnitudeCriterion(1), PruningScope.Global);

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
