using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Selection;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>Searches and sensitivity scans whose trials run as sweeps give what they give in process.</summary>
public sealed class SearchSweepTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-search-sweep-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_grid_search_as_a_sweep_scores_every_configuration_as_in_process_and_picks_the_same_best()
    {
        using var wine = TabularDatasets.Wine();
        var grid = ParameterGrid.Parse("lr=0.01,0.1;hidden=4,8;epochs=3");
        var factory = EstimatorRecipes.Factory("mlp");

        using var here = new GridSearch(factory, grid, new StratifiedKFold(3), refit: false).Fit(wine);
        using var swept = new GridSearch(factory, grid, new StratifiedKFold(3), refit: false, sweep: new SweepExecution(new InProcessBackend(), _folder)).Fit(wine);

        Assert.Equal(here.Result.Trials.Select(t => t.Scores), swept.Result.Trials.Select(t => t.Scores));
        Assert.Equal(here.Result.Trials.Select(t => ParameterGrid.Format(t.Parameters)), swept.Result.Trials.Select(t => ParameterGrid.Format(t.Parameters)));
        Assert.Equal(here.Result.BestIndex, swept.Result.BestIndex);
        Assert.Equal("grid search (4 configurations) · in-process", swept.Result.Method);
        var sweep = SweepDirectory.Open(_folder);
        Assert.StartsWith("grid search mlp on wine (data ", sweep.Spec.Name);
        Assert.Equal(4, sweep.Spec.Trials.Count);
        Assert.True(File.Exists(Path.Combine(_folder, "data.csv")));
        Assert.True(File.Exists(Path.Combine(_folder, "folds.json")));
    }

    [Fact]
    public void Successive_halving_as_a_sweep_adds_each_round_as_a_wave_and_a_rerun_resumes_without_running_anything()
    {
        using var iris = TabularDatasets.Iris();
        var candidates = ParameterGrid.Expand(ParameterGrid.Parse("C=0.01,0.1,1,10"));
        SuccessiveHalving Halving(SweepExecution? sweep) =>
            new(EstimatorRecipes.Factory("logistic"), candidates, "max_iter", 2, factor: 2, cv: new StratifiedKFold(3), refit: false, sweep: sweep);
        using var here = Halving(null).Fit(iris);
        var backend = new CountingBackend();

        using var swept = Halving(new SweepExecution(backend, _folder)).Fit(iris);

        Assert.Equal(here.Result.Trials.Select(t => (t.Round, t.Resource, t.Mean)), swept.Result.Trials.Select(t => (t.Round, t.Resource, t.Mean)));
        Assert.Equal(here.Result.BestIndex, swept.Result.BestIndex);
        Assert.Equal([0, 1, 2], SweepDirectory.Open(_folder).Spec.Waves.Select(w => w.Wave));     // 4, 2 and 1 candidates
        Assert.Equal(7, backend.Ran);

        using var again = Halving(new SweepExecution(backend, _folder)).Fit(iris);
        Assert.Equal(7, backend.Ran);
        Assert.Equal(swept.Result.Trials.Select(t => t.Mean), again.Result.Trials.Select(t => t.Mean));
    }

    [Fact]
    public void A_search_of_a_csharp_delegate_cannot_leave_the_process_and_says_so_in_one_line()
    {
        using var wine = TabularDatasets.Wine();
        var search = new GridSearch(p => new LogisticRegression(p.Double("C")), ParameterGrid.Parse("C=1"), sweep: new SweepExecution(new InProcessBackend(), _folder));
        var e = Assert.Throws<ArgumentException>(() => search.Fit(wine));
        Assert.StartsWith("Running trials in worker processes needs an estimator recipe by name (EstimatorRecipes.Factory(\"mlp\")", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void A_sensitivity_scan_as_a_sweep_gives_the_report_the_scan_gives_in_process()
    {
        manual_seed(3);
        using var model = new LeNet5();
        using var data = FashionMnist.Load(limit: 300);
        var targets = new[] { "conv1.weight", "fc3.weight" };
        var here = Sensitivity.Analyze(model, data.Test, [0.5, 0.9], targets);

        var swept = SensitivityStudy.Run(model, new DataSpec(DataSpec.FashionMnistName, Limit: 300), [0.9, 0.5], new SweepExecution(new InProcessBackend(), _folder), targets);

        Assert.Equal(here.BaselineAccuracy, swept.BaselineAccuracy);
        Assert.Equal(here.Curves.Select(c => (c.Parameter, c.Count)), swept.Curves.Select(c => (c.Parameter, c.Count)));
        Assert.Equal(here.Curves.Select(c => c.Sparsities), swept.Curves.Select(c => c.Sparsities));
        Assert.Equal(here.Curves.Select(c => c.Accuracies), swept.Curves.Select(c => c.Accuracies));
        Assert.Equal("l1", swept.Criterion);
    }

    private sealed class CountingBackend : ISweepBackend
    {
        private readonly InProcessBackend _inner = new();

        public int Ran { get; private set; }

        public string Describe() => "counting";

        public void Check(SweepDirectory sweep)
        {
        }

        public void Run(SweepDirectory sweep, IReadOnlyList<int> trials, int attempt, Action<int, TrialState> report, CancellationToken cancellationToken)
        {
            Ran += trials.Count;
            _inner.Run(sweep, trials, attempt, report, cancellationToken);
        }
    }
}
