using System.Diagnostics;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Selection;
using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>Library calls change nothing process-wide: the user's random stream, concurrency limits, weights they refuse.</summary>
public class SideEffectTests
{
    private static readonly TrainerOptions Quick = new(Epochs: 2, BatchSize: 32, LearningRate: 1e-2);

    [Fact]
    public void Fitting_a_network_estimator_leaves_the_users_global_random_stream_where_it_was()
    {
        using var data = TabularDatasets.Iris();
        manual_seed(1234);
        using var expected = rand(5);

        manual_seed(1234);
        using (var fitted = NetworkEstimator.Mlp([4], Quick, seed: 7).Fit(data))
            Assert.True(fitted.Score(data) > 0);
        using var actual = rand(5);
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
    }

    [Fact]
    public void Training_leaves_the_users_global_random_stream_where_it_was_and_stays_reproducible()
    {
        using var data = TabularDatasets.Iris();
        using var train = data.ToTensorDataset();
        using var first = NetworkEstimator.BuildMlp(4, 3, [8]);
        using var second = NetworkEstimator.BuildMlp(4, 3, [8]);
        second.load_state_dict(first.state_dict());
        var trainer = new Trainer(Quick with { Seed = 3, ValidationFraction = 0.2 });

        manual_seed(99);
        using var expected = rand(5);
        manual_seed(99);
        trainer.Fit(first, train);
        using var actual = rand(5);
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
        trainer.Fit(second, train);
        Assert.Equal(first.parameters().First().data<float>().ToArray(), second.parameters().First().data<float>().ToArray());
    }

    [Fact]
    public void Cross_validation_in_parallel_fits_estimators_from_outside_the_library_one_at_a_time()
    {
        using var data = TabularDatasets.Iris();
        var foreign = new ConcurrencyProbe();
        var result = CrossValidation.Score(foreign, data, new KFold(4), parallelism: 4);
        Assert.Equal(4, result.Scores.Count);
        Assert.Equal(4, foreign.Fits);
        Assert.Equal(1, foreign.MostAtOnce);
    }

    [Theory]
    [InlineData(float.NaN, "1 NaN value")]
    [InlineData(float.PositiveInfinity, "1 infinite value")]
    [InlineData(float.NegativeInfinity, "1 infinite value")]
    public void Every_pruning_entry_point_refuses_non_finite_weights_naming_the_parameter_and_changes_nothing(float bad, string what)
    {
        using var model = new LeNet300_100();
        using (no_grad())
            model.named_parameters().Single(p => p.name == "fc2.weight").parameter[3, 5] = tensor(bad);
        var before = model.named_parameters().Select(p => p.parameter.data<float>().ToArray()).ToList();
        var magnitude = new MagnitudeCriterion(1);
        Action[] entryPoints =
        [
            () => Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.5), magnitude),
            () => Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.5), magnitude, PruningScope.Global),
            () => Pruner.Structured(model, ["fc2.weight"], PruningAmount.Exactly(2), new MagnitudeCriterion(2)),
            () => Pruner.PruneTo(model, Pruner.DefaultTargets(model), 0.5, magnitude),
            () => new PruneRequest("0.5").Run(model, Pruner.DefaultTargets(model)),
            () => NetworkSurgery.Compress(model, new CompressionOptions(PruningAmount.Of(0.5))),
        ];
        foreach (var prune in entryPoints)
        {
            var error = Assert.Throws<ArgumentException>(prune);
            Assert.StartsWith($"'fc2.weight' holds {what} of its 30000 entries", error.Message);
            Assert.DoesNotContain('\n', error.Message);
        }
        Assert.Equal(before, model.named_parameters().Select(p => p.parameter.data<float>().ToArray()).ToList());
        Assert.Empty(PruningMasks.Of(model));
    }

    [Fact]
    public void The_finite_check_is_one_cheap_pass()
    {
        using var weights = randn(4_000_000);
        FiniteWeights.Check([("w", weights)]);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
            FiniteWeights.Check([("w", weights)]);
        // One read of 16 MB: milliseconds; a generous bound that only an allocating or per-entry check would break.
        Assert.True(watch.Elapsed.TotalMilliseconds / 5 < 100, $"{watch.Elapsed.TotalMilliseconds / 5:F1} ms per check");
    }

    /// <summary>An estimator from outside the library that records how many fits run at once.</summary>
    private sealed class ConcurrencyProbe : IEstimator
    {
        private int _running;
        private int _most;
        private int _fits;

        public int MostAtOnce => _most;

        public int Fits => _fits;

        public string Name => "probe";

        public IReadOnlyDictionary<string, object> Parameters => new Dictionary<string, object>();

        public IFittedModel Fit(TabularDataset data)
        {
            var now = Interlocked.Increment(ref _running);
            int seen;
            while ((seen = _most) < now && Interlocked.CompareExchange(ref _most, now, seen) != seen)
            {
            }
            Thread.Sleep(50);
            Interlocked.Increment(ref _fits);
            Interlocked.Decrement(ref _running);
            return new Constant();
        }

        private sealed class Constant : IFittedModel
        {
            public Tensor Predict(Tensor features) => zeros(features.shape[0]);

            public double Score(TabularDataset data) => 0.5;
        }
    }
}
