using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>
/// Wanda, SparseGPT, LAMP and N:M masks equal those of the papers' algorithms written in PyTorch 1.13
/// (tests/reference/pytorch_posttraining_reference.py), on the same weights and calibration inputs.
/// </summary>
public class PostTrainingParityTests
{
    private static readonly string[] Weights = ["fc1.weight", "fc2.weight"];

    private static void AssertMasks(string referenceCase, PostTrainingReference.TwoLayers model)
    {
        foreach (var expected in PostTrainingReference.Root.GetProperty(referenceCase).EnumerateObject())
        {
            var reference = expected.Value.ValueKind == System.Text.Json.JsonValueKind.Object ? expected.Value.GetProperty("mask") : expected.Value;
            var mask = PruningMasks.Get(model, expected.Name);
            Assert.NotNull(mask);
            Assert.Equal(PyTorchReference.Longs(reference), PyTorchReference.MaskOf(mask!));
        }
    }

    private static void AssertWeights(string referenceCase, PostTrainingReference.TwoLayers model)
    {
        foreach (var expected in PostTrainingReference.Root.GetProperty(referenceCase).EnumerateObject())
        {
            var want = PyTorchReference.Floats(expected.Value.GetProperty("weight"));
            var got = PostTrainingReference.Values(model.named_parameters().Single(p => p.name == expected.Name).parameter);
            var scale = want.Max(Math.Abs);
            for (var i = 0; i < want.Length; i++)
                Assert.True(Math.Abs(want[i] - got[i]) <= 1e-4 * scale, $"{expected.Name}[{i}]: PyTorch {want[i]}, ours {got[i]}");
        }
    }

    [Fact]
    public void Wanda_at_half_prunes_each_row_like_the_paper()
    {
        using var model = PostTrainingReference.Network();
        using var data = PostTrainingReference.Calibration();
        var report = Pruner.Unstructured(model, Weights, PruningAmount.Of(0.5), new WandaCriterion(), data: data);
        AssertMasks("wanda_unstructured_0.5", model);
        Assert.Equal(0.5, report.SparsityOf(Weights), 6);
    }

    [Fact]
    public void Wanda_at_2_to_4_matches_the_paper()
    {
        using var model = PostTrainingReference.Network();
        using var data = PostTrainingReference.Calibration();
        Pruner.SemiStructured(model, Weights, new NmSparsity(2, 4), new WandaCriterion(), data);
        AssertMasks("wanda_2:4", model);
    }

    [Fact]
    public void Wanda_differs_from_magnitude_on_inputs_of_different_scales()
    {
        using var model = PostTrainingReference.Network();
        using var data = PostTrainingReference.Calibration();
        Pruner.Unstructured(model, Weights, PruningAmount.Of(0.5), new WandaCriterion(), data: data);
        using var magnitude = PostTrainingReference.Network();
        Pruner.Unstructured(magnitude, Weights, PruningAmount.Of(0.5), new MagnitudeCriterion());
        Assert.NotEqual(PyTorchReference.MaskOf(PruningMasks.Get(magnitude, "fc1.weight")!), PyTorchReference.MaskOf(PruningMasks.Get(model, "fc1.weight")!));
    }

    [Fact]
    public void Magnitude_at_2_to_4_matches_pytorch()
    {
        using var model = PostTrainingReference.Network();
        Pruner.SemiStructured(model, Weights, new NmSparsity(2, 4), new MagnitudeCriterion());
        AssertMasks("magnitude_2:4", model);
    }

    [Fact]
    public void SparseGpt_at_half_matches_the_papers_masks_and_updated_weights()
    {
        using var model = PostTrainingReference.Network();
        using var data = PostTrainingReference.Calibration();
        Pruner.Unstructured(model, Weights, PruningAmount.Of(0.5), new SparseGptCriterion(blockSize: 16, damping: 0.01), data: data);
        AssertMasks("sparsegpt_unstructured_0.5", model);
        AssertWeights("sparsegpt_unstructured_0.5", model);
    }

    [Fact]
    public void SparseGpt_at_2_to_4_matches_the_papers_masks_and_updated_weights()
    {
        using var model = PostTrainingReference.Network();
        using var data = PostTrainingReference.Calibration();
        Pruner.SemiStructured(model, Weights, new NmSparsity(2, 4), new SparseGptCriterion(blockSize: 16, damping: 0.01), data);
        AssertMasks("sparsegpt_2:4", model);
        AssertWeights("sparsegpt_2:4", model);
    }

    [Fact]
    public void Lamp_scores_match_the_paper()
    {
        using var model = PostTrainingReference.Network();
        using var context = new ScoringContext(model);
        foreach (var expected in PostTrainingReference.Root.GetProperty("lamp_scores").EnumerateObject())
        {
            var weight = model.named_parameters().Single(p => p.name == expected.Name).parameter;
            using var scores = new LampCriterion().ScoreEntries(weight, expected.Name, context);
            var got = PostTrainingReference.Values(scores);
            var want = PyTorchReference.Floats(expected.Value);
            for (var i = 0; i < want.Length; i++)
                Assert.Equal(want[i], got[i], 1e-5f);
        }
    }

    [Fact]
    public void Lamp_global_pruning_matches_the_paper()
    {
        using var model = PostTrainingReference.Network();
        Pruner.Unstructured(model, Weights, PruningAmount.Of(0.6), new LampCriterion(), PruningScope.Global);
        AssertMasks("lamp_global_0.6", model);
    }
}
