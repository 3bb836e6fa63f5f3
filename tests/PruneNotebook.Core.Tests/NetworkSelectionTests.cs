using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Runtime;
using PruneNotebook.Core.Selection;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class NetworkSelectionTests
{
    private static readonly TrainerOptions Quick = new(Epochs: 15, BatchSize: 32, LearningRate: 1e-2);

    [Fact]
    public void A_network_factory_is_cross_validated_like_any_estimator_and_compared_with_aic_where_defined()
    {
        using var data = TabularDatasets.Wine();
        var comparison = CrossValidation.Compare([new LogisticRegression(1.0), NetworkEstimator.Mlp([16], Quick)], data, new StratifiedKFold(3));
        Assert.Equal(["LogisticRegression", "MLP(16)"], comparison.Candidates.Select(c => c.Estimator));
        Assert.All(comparison.Candidates, c => Assert.True(c.Mean > 0.9, $"{c.Estimator}: {c.Mean}"));
        Assert.NotNull(comparison.Aic[0]);
        Assert.Null(comparison.Aic[1]);
        Assert.Equal(3, comparison.Candidates[1].FitSeconds.Count);
    }

    [Fact]
    public void A_small_network_trains_on_one_thread_a_large_one_on_the_callers_threads_and_the_count_is_given_back_unless_opted_out()
    {
        var before = get_num_threads();
        set_num_threads(2);
        try
        {
            using var data = TabularDatasets.Wine();
            var options = new TrainerOptions(Epochs: 1, BatchSize: 16);
            // 13·8 + 8 + 8·3 + 3 = 139 parameters × 16 is far below the limit; 13·40000 + 40000 + 40000·3 + 3 ≈ 0.68 million × 16 is above it.
            var small = new ThreadRecordingMlp(13, 8, 3);
            var large = new ThreadRecordingMlp(13, 40_000, 3);
            new NetworkEstimator((_, _) => small, options).Fit(data).Dispose();
            Assert.Equal(2, get_num_threads());
            new NetworkEstimator((_, _) => large, options).Fit(data).Dispose();
            Assert.Equal(2, get_num_threads());
            Assert.NotEmpty(small.Threads);
            Assert.All(small.Threads, t => Assert.Equal(1, t));
            Assert.NotEmpty(large.Threads);
            Assert.All(large.Threads, t => Assert.Equal(2, t));

            // The user's own call of the Trainer is the same; the opt-out keeps the caller's count.
            using var train = data.ToTensorDataset();
            using var own = new ThreadRecordingMlp(13, 8, 3);
            new Trainer(options).Fit(own, train);
            Assert.Equal(2, get_num_threads());
            Assert.NotEmpty(own.Threads);
            Assert.All(own.Threads, t => Assert.Equal(1, t));
            own.Threads.Clear();
            Environment.SetEnvironmentVariable(SmallNetworkThreads.OptOutVariable, "1");
            new Trainer(options).Fit(own, train);
            Assert.NotEmpty(own.Threads);
            Assert.All(own.Threads, t => Assert.Equal(2, t));
        }
        finally
        {
            Environment.SetEnvironmentVariable(SmallNetworkThreads.OptOutVariable, null);
            set_num_threads(before);
        }
    }

    /// <summary>A user's own module (not a Sequential) that notes libtorch's thread count at every forward.</summary>
    private sealed class ThreadRecordingMlp : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> _fc1;
        private readonly nn.Module<Tensor, Tensor> _fc2;

        public ThreadRecordingMlp(int inputs, int hidden, int classes) : base(nameof(ThreadRecordingMlp))
        {
            _fc1 = nn.Linear(inputs, hidden);
            _fc2 = nn.Linear(hidden, classes);
            RegisterComponents();
        }

        public List<int> Threads { get; } = [];

        public override Tensor forward(Tensor input)
        {
            Threads.Add(get_num_threads());
            using var hidden = _fc1.call(input);
            using var active = nn.functional.relu(hidden);
            return _fc2.call(active);
        }
    }

    [Fact]
    public void Input_pruning_shrinks_the_first_layer_and_keeps_the_function_on_the_kept_inputs()
    {
        using var raw = TabularDatasets.BreastCancer();
        using var data = new Standardizer().Fit(raw).Transform(raw);
        using var network = NetworkEstimator.Mlp([16], Quick).Fit(data);
        var norms = InputPruning.WeightNorms(network.Model);
        Assert.Equal(30, norms.Length);
        var selection = InputPruning.Rank(norms, data, keep: 10);
        Assert.Equal(10, selection.Selected.Count);
        var pruned = InputPruning.Prune(network.Model, selection.Selected);
        Assert.Equal(10L, InputPruning.FirstLinear(pruned).Layer.in_features);
        using var kept = data.Columns(selection.Selected);
        // With the dropped inputs at zero the original network computes exactly what the pruned one does.
        using var mask = zeros(30);
        foreach (var j in selection.Selected)
            mask[j] = 1;
        using var noGrad = no_grad();
        using var original = network.Model.call(data.Features.mul(mask));
        using var shrunk = pruned.call(kept.Features);
        Assert.True(original.allclose(shrunk, atol: 1e-5));
        var saliency = InputPruning.GradientSaliency(network.Model, data);
        Assert.Equal(30, saliency.Length);
        Assert.All(saliency, s => Assert.True(s >= 0));
        var error = Assert.Throws<ArgumentException>(() => InputPruning.Rank(norms, data, keep: 31));
        Assert.StartsWith("Cannot keep 31 of 30 input features", error.Message);
    }

    [Fact]
    public void Permutation_importance_works_on_a_trained_network()
    {
        using var raw = TabularDatasets.Iris();
        using var data = new Standardizer().Fit(raw).Transform(raw);
        using var network = NetworkEstimator.Mlp([8], Quick).Fit(data);
        var importance = PermutationImportance.Compute(network, data, repeats: 2, seed: 0, keep: 2);
        // Petal length and width (2, 3) separate the species.
        Assert.Contains(importance.Selected, j => j >= 2);
        Assert.True(importance.Scores.Max() > 0.1);
    }

    [Fact]
    public void An_input_pruned_network_cross_validates_on_the_original_features_and_reads_only_the_kept_ones()
    {
        using var data = TabularDatasets.BreastCancer();
        var estimator = new InputPrunedNetworkEstimator(NetworkEstimator.Mlp([16], Quick), keep: 8);
        var result = CrossValidation.Score(estimator, data, new StratifiedKFold(3));
        Assert.True(result.Mean > 0.9, $"accuracy {result.Mean}");
        Assert.Equal("MLP(16) on 8 inputs", result.Estimator);
        using var standardized = new Standardizer().Fit(data).Transform(data);
        using var fitted = estimator.Fit(standardized);
        Assert.Equal(8, fitted.Columns.Count);
        Assert.Equal(8L, InputPruning.FirstLinear(fitted.Network.Model).Layer.in_features);
        Assert.Equal(22, fitted.FeatureImportances.Count(v => v == 0));
    }
}
