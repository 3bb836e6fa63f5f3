using System.Diagnostics;
using System.Globalization;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Runtime;
using PruneNotebook.Core.Selection;
using PruneNotebook.Sweeps;
using TorchSharp;

namespace PruneNotebook.Bench;

/// <summary>
/// `sweeps`: trials as worker processes against trials in this process. (1) A 12-configuration MLP grid search on wine
/// (3-fold CV, 30 epochs each): sequential (with all cores, and with one), in-process parallel trials (which serialize on
/// TorchSharp's training lock) and a local pool of worker processes with the cores split between them, cold (workers
/// started inside the timed region) and warm (the pool's workers ran the previous search), alternating, median of the
/// repeats. (2) The overhead a worker process adds to a trial: the wall time of <c>prunenotebook trial</c> minus the
/// trial's own steps (process and runtime start, libtorch load, data load, result write), and the same on a warm worker. (3) Time from <c>sbatch</c> to the last
/// result of a 4-trial Slurm array against the same trials on the local pool.
/// </summary>
public static class SweepBenchmark
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        var workers = GlobalPruningBenchmark.Option(args, "--workers", 2);
        var repeats = GlobalPruningBenchmark.Option(args, "--repeats", 3);
        var cores = Environment.ProcessorCount;
        var threads = GlobalPruningBenchmark.Option(args, "--threads", cores);
        torch.set_num_threads(threads);
        var scratch = Directory.CreateTempSubdirectory("prunenotebook-bench-sweeps-").FullName;
        try
        {
            GridSearches(workers, repeats, cores, threads, scratch);
            Console.WriteLine();
            BiggerGrid(workers, repeats, threads, scratch);
            Console.WriteLine();
            Overhead(repeats, scratch);
            Console.WriteLine();
            Slurm(args.Contains("--slurm"), workers, repeats, scratch);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
        return 0;
    }

    private static void GridSearches(int workers, int repeats, int cores, int threads, string scratch)
    {
        using var wine = TabularDatasets.Wine();
        var grid = ParameterGrid.Parse("hidden=16,64;lr=3e-3,1e-2,3e-2;weight_decay=0,1e-3;epochs=30;batch_size=16");
        var factory = EstimatorRecipes.Factory("mlp");
        GridSearch Search(int parallelism, SweepExecution? sweep = null) => new(factory, grid, new StratifiedKFold(3), parallelism, refit: false, sweep: sweep);
        var run = 0;
        string Fresh() => Path.Combine(scratch, $"grid-{run++}");   // a fresh sweep every time: nothing resumed
        var times = new Dictionary<string, List<double>> { ["baseline"] = [], ["sequential"] = [], ["sequential 1"] = [], ["parallel"] = [], ["cold"] = [], ["warm"] = [] };
        var trialSeconds = new List<double>();
        var overheadPerTrial = new List<double>();
        using var warm = new LocalPool(workers);
        Search(1).Fit(wine).Dispose();   // warm-up: JIT, libtorch's thread pool
        Search(1, new SweepExecution(warm, Fresh())).Fit(wine).Dispose();   // starts the warm pool's workers
        for (var r = 0; r < repeats; r++)
        {
            Environment.SetEnvironmentVariable(SmallNetworkThreads.OptOutVariable, "1");   // the baseline: every fit on the caller's threads
            times["baseline"].Add(Seconds(() => Search(1).Fit(wine).Dispose()));
            Environment.SetEnvironmentVariable(SmallNetworkThreads.OptOutVariable, null);
            times["sequential"].Add(Seconds(() => Search(1).Fit(wine).Dispose()));
            torch.set_num_threads(1);
            times["sequential 1"].Add(Seconds(() => Search(1).Fit(wine).Dispose()));
            torch.set_num_threads(threads);
            times["parallel"].Add(Seconds(() => Search(workers).Fit(wine).Dispose()));
            LocalPool? cold = null;
            times["cold"].Add(Seconds(() =>
            {
                cold = new LocalPool(workers);   // its workers start inside the timed region
                Search(1, new SweepExecution(cold, Fresh())).Fit(wine).Dispose();
            }));
            cold!.Dispose();
            var directory = Fresh();
            times["warm"].Add(Seconds(() => Search(1, new SweepExecution(warm, directory)).Fit(wine).Dispose()));
            var sweep = SweepDirectory.Open(directory);
            var steps = sweep.ReadResults().Sum(t => t!.Seconds);
            trialSeconds.Add(steps / sweep.Spec.Trials.Count);
            overheadPerTrial.Add((times["warm"][^1] * workers - steps) / sweep.Spec.Trials.Count);
        }
        var sequential = Median(times["sequential"]);
        var baseline = Median(times["baseline"]);
        Console.WriteLine($"Grid search over an MLP on wine: 12 configurations × 3 folds, 30 epochs each; {cores} cores; median of {repeats} alternating runs");
        Console.WriteLine($"(the issue's baseline: every fit on libtorch's {threads} thread{(threads == 1 ? "" : "s")}, as before small networks trained on one thread;");
        Console.WriteLine($" in-process trials share one process: network training is serialized by TorchSharp's training lock; the pools run {workers} worker processes × {warm.ThreadsPerWorker} thread;");
        Console.WriteLine(" cold: a new pool, its workers started inside the timed region; warm: the same search again on a pool whose workers ran the previous one)");
        Print(["", "seconds", "trials/s", "vs baseline", "vs sequential"],
        [
            ($"sequential, in process, every fit on {threads} thread{(threads == 1 ? "" : "s")} (baseline)", baseline),
            ($"sequential, in process ({threads} thread{(threads == 1 ? "" : "s")}; small networks on 1)", Median(times["sequential"])),
            ("sequential, in process (1 thread)", Median(times["sequential 1"])),
            ($"{workers} parallel trials, in process (before the pool)", Median(times["parallel"])),
            ($"local pool, {workers} workers, cold", Median(times["cold"])),
            ($"local pool, {workers} workers, warm", Median(times["warm"])),
        ], seconds => [seconds.ToString("F2", C), (12 / seconds).ToString("F2", C), $"{baseline / seconds:F2}×", $"{sequential / seconds:F2}×"]);
        Console.WriteLine(string.Create(C, $"warm pool: a trial's own steps {Median(trialSeconds):F3} s in a worker; overhead per trial (request, result file, answer, idle worker at the end) {Median(overheadPerTrial):F3} s"));
        Console.WriteLine("target: the pool ≥ 1.6× the baseline's throughput with 2 workers on 2 cores");
    }

    /// <summary>Not the issue's grid: twice as many configurations, so a cold pool's start is spread over more trials.</summary>
    private static void BiggerGrid(int workers, int repeats, int threads, string scratch)
    {
        using var wine = TabularDatasets.Wine();
        var grid = ParameterGrid.Parse("hidden=16,32,64,128;lr=3e-3,1e-2,3e-2;weight_decay=0,1e-3;epochs=30;batch_size=16");
        var factory = EstimatorRecipes.Factory("mlp");
        GridSearch Search(SweepExecution? sweep = null) => new(factory, grid, new StratifiedKFold(3), 1, refit: false, sweep: sweep);
        var sequential = new List<double>();
        var cold = new List<double>();
        for (var r = 0; r < repeats; r++)
        {
            sequential.Add(Seconds(() => Search().Fit(wine).Dispose()));
            LocalPool? pool = null;
            cold.Add(Seconds(() =>
            {
                pool = new LocalPool(workers);
                Search(new SweepExecution(pool, Path.Combine(scratch, $"bigger-grid-{r}"))).Fit(wine).Dispose();
            }));
            pool!.Dispose();
        }
        var baseline = Median(sequential);
        Console.WriteLine($"A bigger grid, NOT the issue's benchmark: 24 configurations (hidden=16,32,64,128), otherwise the same; median of {repeats}");
        Print(["", "seconds", "trials/s", "vs sequential"],
        [
            ($"sequential, in process ({threads} thread{(threads == 1 ? "" : "s")})", baseline),
            ($"local pool, {workers} workers, cold", Median(cold)),
        ], seconds => [seconds.ToString("F2", C), (24 / seconds).ToString("F2", C), $"{baseline / seconds:F2}×"]);
    }

    private static void Overhead(int repeats, string scratch)
    {
        var spec = new SweepSpec("overhead", Enumerable.Range(0, repeats + 1).Select(i => new TrialSpec("mlp", new DataSpec("wine"),
            [new CrossValidateStep("mlp", new Dictionary<string, object> { ["hidden"] = "8", ["epochs"] = 1.0, ["seed"] = (double)i })], Seed: i)).ToList());
        var sweep = SweepDirectory.Create(Path.Combine(scratch, "overhead"), spec);
        var program = WorkerProgram.Locate();
        var starts = new List<double>();
        var overheads = new List<double>();
        var steps = new List<double>();
        for (var i = 0; i <= repeats; i++)
        {
            var start = Seconds(() => RunProcess(program, ["--version"]));
            var wall = Seconds(() => RunProcess(program, ["trial", sweep.Path, i.ToString(C), "--threads", "1"]));
            var result = sweep.ReadResult(i) ?? throw new InvalidOperationException($"trial {i} wrote no result");
            if (i == 0)
                continue;   // the first start warms the file cache
            starts.Add(start);
            steps.Add(result.Seconds);
            overheads.Add(wall - result.Seconds);
        }
        // The same trials on a warm worker: what a trial costs beyond its steps once the process is running.
        var warmOverheads = new List<double>();
        using (var pool = new LocalPool(1, 1))
        {
            for (var i = 0; i <= repeats; i++)
            {
                var again = SweepDirectory.Create(Path.Combine(scratch, $"overhead-warm-{i}"), spec);
                // One trial of the sweep runs, so the sweep as a whole is unfinished: check that trial's own result.
                var wall = Seconds(() => SweepRunner.Run(again, pool, new SweepRunOptions(Trials: [i])));
                var result = again.ReadResult(i);
                if (result?.Status != TrialOutcome.Done)
                    throw new InvalidOperationException($"trial {i} on the warm worker did not finish: {result?.Error ?? "no result"}");
                if (i > 0)
                    warmOverheads.Add(wall - result.Seconds);
            }
        }
        Console.WriteLine($"Per-trial overhead of a worker process ({program.FileName} {string.Join(' ', program.Prefix)}), median of {repeats}");
        Print(["", "seconds", "", ""],
        [
            ("process start (runtime, CLI, libtorch load)", Median(starts)),
            ("a trial's own steps (wine, 5-fold, 1 epoch)", Median(steps)),
            ("overhead: wall time − steps, new process", Median(overheads)),
            ("overhead: wall time − steps, warm pool worker", Median(warmOverheads)),
        ], seconds => [seconds.ToString("F2", C), "", ""]);
        Console.WriteLine("target: overhead ≤ 2 s (a local pool pays the start once per worker, not per trial)");
    }

    private static void Slurm(bool startCluster, int workers, int repeats, string scratch)
    {
        var slurm = new SlurmBackend(new SlurmOptions(PollSeconds: 0.1));
        var spec = new SweepSpec("slurm vs local", Enumerable.Range(0, 4).Select(i => new TrialSpec("mlp", new DataSpec("wine"),
            [new CrossValidateStep("mlp", new Dictionary<string, object> { ["hidden"] = "16", ["epochs"] = 10.0, ["seed"] = (double)i })], Seed: i)).ToList());
        var started = false;
        try
        {
            if (!Answers(slurm))
            {
                if (!startCluster)
                {
                    Console.WriteLine("Slurm: no cluster answers here (sbatch, SLURM_CONF); rerun with --slurm to start eng/slurm-test-cluster.sh (root, Debian's Slurm packages).");
                    return;
                }
                started = StartTestCluster();
                if (!started || !Answers(slurm))
                {
                    Console.WriteLine("Slurm: eng/slurm-test-cluster.sh did not give a cluster that answers; skipped.");
                    return;
                }
            }
            var local = new List<double>();
            var array = new List<double>();
            for (var r = 0; r <= repeats; r++)
            {
                using var pool = new LocalPool(workers);   // cold, as the Slurm array's tasks
                var l = Seconds(() => SweepRunner.Run(SweepDirectory.Create(Path.Combine(scratch, $"local-{r}"), spec), pool).EnsureSucceeded());
                var s = Seconds(() => SweepRunner.Run(SweepDirectory.Create(Path.Combine(scratch, $"slurm-{r}"), spec), slurm).EnsureSucceeded());
                if (r == 0)
                    continue;
                local.Add(l);
                array.Add(s);
            }
            Console.WriteLine($"4 trials (wine, 5-fold MLP, 10 epochs), from submission to the last result, median of {repeats}");
            Print(["", "seconds", "", ""],
            [
                ($"local pool, {workers} workers", Median(local)),
                ("Slurm array (4 tasks, 1 CPU each)", Median(array)),
            ], seconds => [seconds.ToString("F2", C), "", ""]);
        }
        finally
        {
            if (started)
                TestCluster("stop");
        }
    }

    private static bool Answers(SlurmBackend slurm)
    {
        try
        {
            slurm.Check(SweepDirectory.Create(Path.Combine(Path.GetTempPath(), "prunenotebook-bench-probe-" + Environment.ProcessId),
                new SweepSpec("probe", [new TrialSpec("mlp", new DataSpec("wine"), [new CrossValidateStep("mlp")])])));
            return true;
        }
        catch (SweepBackendException)
        {
            return false;
        }
        finally
        {
            var probe = Path.Combine(Path.GetTempPath(), "prunenotebook-bench-probe-" + Environment.ProcessId);
            if (Directory.Exists(probe))
                Directory.Delete(probe, recursive: true);
        }
    }

    private static bool StartTestCluster()
    {
        var (code, output) = TestCluster("start");
        var conf = output.Split('\n').LastOrDefault(l => l.StartsWith("SLURM_CONF=", StringComparison.Ordinal));
        if (code != 0 || conf is null)
            return false;
        Environment.SetEnvironmentVariable("SLURM_CONF", conf["SLURM_CONF=".Length..].Trim());
        return true;
    }

    private static (int Code, string Output) TestCluster(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Find(), "eng", "slurm-test-cluster.sh"), command])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    private static void RunProcess(WorkerProgram program, IEnumerable<string> arguments)
    {
        var start = program.StartInfo(arguments, threads: 1);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"prunenotebook {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}{output.Result}");
    }

    private static double Seconds(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Print(string[] headers, IReadOnlyList<(string Label, double Seconds)> rows, Func<double, string[]> cells)
    {
        var width = Math.Max(12, rows.Max(r => r.Label.Length));
        Console.WriteLine(headers[0].PadRight(width) + string.Concat(headers[1..].Select(h => "  " + h.PadLeft(14))));
        Console.WriteLine(new string('-', width + (headers.Length - 1) * 16));
        foreach (var (label, seconds) in rows)
            Console.WriteLine(label.PadRight(width) + string.Concat(cells(seconds).Select(c => "  " + c.PadLeft(14))));
    }
}
