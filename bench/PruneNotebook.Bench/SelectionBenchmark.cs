using System.Diagnostics;
using System.Globalization;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Selection;
using TorchSharp;

namespace PruneNotebook.Bench;

/// <summary>
/// `selection`: Lasso paths (100 α) and 5-fold cross-validation on the shipped datasets, side by side with scikit-learn
/// (Debian's python3-sklearn, bench/python/sklearn_selection.py), and a grid search over an MLP with sequential vs parallel trials.
/// </summary>
public static class SelectionBenchmark
{
    public static int Run(string[] args)
    {
        var threads = Option(args, "--threads", 2);
        var repeats = Option(args, "--repeats", 5);
        torch.set_num_threads(threads);
        var root = RepositoryRoot.Find();
        using var diabetes = Standardized(TabularDatasets.Diabetes());
        using var cancer = Standardized(TabularDatasets.BreastCancer());

        var ours = new Dictionary<string, double>
        {
            ["lasso_path_diabetes"] = MedianSeconds(repeats, () => ElasticNetPath.Compute(diabetes, 1.0, count: 100)),
            ["lasso_path_breast_cancer"] = MedianSeconds(repeats, () => ElasticNetPath.Compute(cancer, 1.0, count: 100)),
            ["lasso_cv_diabetes"] = MedianSeconds(repeats, () => new ElasticNetCV(1.0).Fit(diabetes)),
            ["logistic_cv_breast_cancer"] = MedianSeconds(repeats,
                () => CrossValidation.Score(new LogisticRegression(1.0), cancer, new StratifiedKFold(5), standardize: false)),
        };
        var peer = PyTorchPeer.RunScript(root, "bench/python/sklearn_selection.py", ["--repeats", repeats.ToString(CultureInfo.InvariantCulture)], out var problem);
        Console.WriteLine($"Selection on the shipped datasets (standardized), median of {repeats}, {threads} threads; scikit-learn "
            + (peer is { } p && p.TryGetProperty("sklearn_version", out var v) ? v.GetString() : "n/a") + " with default tolerances");
        if (problem is not null)
            Console.WriteLine(problem);
        var rows = new List<(string, string, string, string)>();
        foreach (var (key, label) in new[]
                 {
                     ("lasso_path_diabetes", "Lasso path, 100 α, diabetes (442×10)"),
                     ("lasso_path_breast_cancer", "Lasso path, 100 α, breast cancer (569×30)"),
                     ("lasso_cv_diabetes", "LassoCV, 5-fold × 100 α, diabetes"),
                     ("logistic_cv_breast_cancer", "LogisticRegression, stratified 5-fold, breast cancer"),
                 })
        {
            var theirs = peer is { } q && q.TryGetProperty(key, out var t) ? t.GetDouble() : (double?)null;
            rows.Add((label, Ms(ours[key]), theirs is null ? "n/a" : Ms(theirs.Value), theirs is null ? "" : $"{theirs.Value / ours[key]:F1}×"));
        }
        Print(["", "ours (TorchSharp)", "scikit-learn", "speedup"], rows);

        Console.WriteLine();
        using var wine = TabularDatasets.Wine();
        var options = new TrainerOptions(Epochs: 30, BatchSize: 16, LearningRate: 1e-2);
        var grid = ParameterGrid.Parse("hidden=16,64;lr=3e-3,1e-2;weight_decay=0,1e-3");
        GridSearch Search(int parallelism) => new(
            p => NetworkEstimator.Mlp([p.Int("hidden")], options with { LearningRate = p.Double("lr"), WeightDecay = p.Double("weight_decay") }),
            grid, new StratifiedKFold(3), parallelism, refit: false);
        var sequential = MedianSeconds(Math.Max(1, repeats / 2), () => Search(1).Fit(wine));
        var parallel = MedianSeconds(Math.Max(1, repeats / 2), () => Search(2).Fit(wine));
        Console.WriteLine($"Grid search over an MLP on wine: 8 configurations × 3 folds, 30 epochs each, {threads} threads");
        Console.WriteLine("(network training is serialized across trials: TorchSharp training is not thread-safe; only scoring and bookkeeping overlap)");
        Print(["", "time", "", "speedup"],
        [
            ("sequential trials", Ms(sequential), "", ""),
            ("2 parallel trials", Ms(parallel), "", $"{sequential / parallel:F2}×"),
        ]);
        return 0;
    }

    private static TabularDataset Standardized(TabularDataset raw)
    {
        using (raw)
            return new Standardizer().Fit(raw).Transform(raw);
    }

    private static double MedianSeconds(int repeats, Action action)
    {
        action();
        var times = new List<double>();
        for (var r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times.Add(watch.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    private static string Ms(double seconds) => (seconds * 1000).ToString("F1", CultureInfo.InvariantCulture) + " ms";

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0)
            return fallback;
        return i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} expects a positive whole number.");
    }

    private static void Print(string[] headers, IReadOnlyList<(string, string, string, string)> rows)
    {
        var width = Math.Max(12, rows.Max(r => r.Item1.Length));
        Console.WriteLine(headers[0].PadRight(width) + string.Concat(headers[1..].Select(h => "  " + h.PadLeft(18))));
        Console.WriteLine(new string('-', width + 3 * 20));
        foreach (var (label, a, b, c) in rows)
            Console.WriteLine(label.PadRight(width) + "  " + a.PadLeft(18) + "  " + b.PadLeft(18) + "  " + c.PadLeft(18));
    }
}
