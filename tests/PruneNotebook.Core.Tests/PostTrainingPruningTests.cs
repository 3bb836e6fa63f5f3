using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>Post-training criteria and N:M sparsity through the pruner: what they change, what they refuse, what lasts.</summary>
public class PostTrainingPruningTests
{
    private static readonly string[] Weights = ["fc1.weight", "fc2.weight"];

    private static float[] Snapshot(nn.Module model) =>
        model.parameters().SelectMany(p => PostTrainingReference.Values(p)).ToArray();

    [Theory]
    [InlineData("wanda")]
    [InlineData("sparsegpt")]
    public void A_calibration_criterion_without_data_is_refused_in_one_line_and_changes_nothing(string name)
    {
        using var model = PostTrainingReference.Network();
        var before = Snapshot(model);
        var criterion = Criteria.Create(name);
        var e = Assert.Throws<ArgumentException>(() => Pruner.Unstructured(model, Weights, PruningAmount.Of(0.5), criterion));
        Assert.Contains("pass data", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(before, Snapshot(model));
        Assert.Empty(PruningMasks.Of(model));
        var request = Assert.Throws<ArgumentException>(() => new PruneRequest("0.5") { Criterion = name }.Check(dataGiven: false));
        Assert.Equal($"--criterion {name} measures real data: pass --data <dataset>.", request.Message);
    }

    [Fact]
    public void Wanda_refuses_global_scope_and_counts()
    {
        using var model = PostTrainingReference.Network();
        using var data = PostTrainingReference.Calibration();
        Assert.Contains("--scope local", Assert.Throws<ArgumentException>(() =>
            Pruner.Unstructured(model, Weights, PruningAmount.Of(0.5), new WandaCriterion(), PruningScope.Global, data)).Message);
        Assert.Contains("as a fraction", Assert.Throws<ArgumentException>(() =>
            Pruner.Unstructured(model, Weights, PruningAmount.Exactly(10), new WandaCriterion(), data: data)).Message);
        Assert.Empty(PruningMasks.Of(model));
    }

    [Fact]
    public void Wanda_prunes_the_amount_from_every_row_and_composes()
    {
        using var model = PostTrainingReference.Network();
        using var data = PostTrainingReference.Calibration();
        Pruner.Unstructured(model, ["fc2.weight"], PruningAmount.Of(0.5), new WandaCriterion(), data: data);
        Pruner.Unstructured(model, ["fc2.weight"], PruningAmount.Of(0.5), new WandaCriterion(), data: data);
        var perRow = PruningMasks.Get(model, "fc2.weight")!.sum(1).data<float>().ToArray();
        Assert.All(perRow, kept => Assert.Equal(8, kept)); // 32 → 16 → 8 in every row
    }

    [Theory]
    [InlineData("4:4")]
    [InlineData("5:4")]
    [InlineData("0:4")]
    [InlineData("2-4")]
    public void Bad_n_m_patterns_are_refused(string text) =>
        Assert.Contains("expected N:M with 1 ≤ N < M", Assert.Throws<ArgumentException>(() => NmSparsity.Parse(text)).Message);

    [Fact]
    public void N_m_along_inputs_not_divisible_by_m_is_refused_and_changes_nothing()
    {
        using var model = PostTrainingReference.Network();
        var e = Assert.Throws<ArgumentException>(() => Pruner.SemiStructured(model, Weights, new NmSparsity(2, 3), new MagnitudeCriterion()));
        Assert.Equal("'fc1.weight' has 16 inputs, not divisible by M = 3: 2:3 sparsity needs groups of 3 along the input dimension.", e.Message);
        Assert.Empty(PruningMasks.Of(model));
    }

    [Fact]
    public void N_m_masks_are_reported_and_survive_training_and_save_and_load()
    {
        using var model = PostTrainingReference.Network();
        var report = Pruner.SemiStructured(model, Weights, new NmSparsity(2, 4), new MagnitudeCriterion());
        Assert.Equal("2:4", report["fc1.weight"].Pattern);
        Assert.Equal("2:4", report["fc2.weight"].Pattern);
        Assert.Null(report["fc1.bias"].Pattern);
        Assert.Equal(0.5, report.SparsityOf(Weights), 6);

        // A few optimizer steps: the masks keep the pattern.
        using var data = PostTrainingReference.Calibration();
        var optimizer = optim.SGD(model.parameters(), 0.1);
        for (var i = 0; i < 3; i++)
        {
            optimizer.zero_grad();
            model.call(data.Features).pow(2).mean().backward();
            optimizer.step();
        }
        Assert.Equal("2:4", SparsityReport.Create(model)["fc2.weight"].Pattern);

        var path = Path.Combine(Path.GetTempPath(), $"nm-{Guid.NewGuid():N}.bin");
        try
        {
            ModelFile.Save(model, path);
            using var loaded = new PostTrainingReference.TwoLayers();
            ModelFile.Load(loaded, path);
            Assert.Equal("2:4", SparsityReport.Create(loaded)["fc1.weight"].Pattern);
            Assert.Equal(PyTorchReference.MaskOf(PruningMasks.Get(model, "fc1.weight")!), PyTorchReference.MaskOf(PruningMasks.Get(loaded, "fc1.weight")!));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Unstructured_masks_are_not_reported_as_n_m()
    {
        using var model = PostTrainingReference.Network();
        var report = Pruner.Unstructured(model, Weights, PruningAmount.Of(0.5), new MagnitudeCriterion());
        Assert.Null(report["fc1.weight"].Pattern);
    }

    [Fact]
    public void SparseGpt_reconstruction_fits_the_dense_outputs_better_than_its_mask_alone()
    {
        using var data = PostTrainingReference.Calibration();
        using var dense = PostTrainingReference.Network();
        using var expected = dense.call(data.Features).detach();
        using var model = PostTrainingReference.Network();
        Pruner.Unstructured(model, Weights, PruningAmount.Of(0.5), new SparseGptCriterion(blockSize: 16), data: data);
        using var reconstructed = model.call(data.Features).detach();
        using var maskOnly = PostTrainingReference.Network();
        foreach (var name in Weights)
            Pruner.ApplyMask(maskOnly, name, PruningMasks.Get(model, name)!);
        using var masked = maskOnly.call(data.Features).detach();
        var reconstructedError = (reconstructed - expected).pow(2).mean().item<float>();
        var maskedError = (masked - expected).pow(2).mean().item<float>();
        Assert.True(reconstructedError < 0.5 * maskedError, $"reconstructed {reconstructedError}, mask alone {maskedError}");
    }

    [Fact]
    public void SparseGpt_that_fails_on_a_later_layer_puts_every_weight_back()
    {
        using var model = PyTorchReference.Model(PyTorchReference.Case("l1_unstructured_fraction"));
        var before = Snapshot(model);
        using var data = new Data.TensorDataset(randn(16, 12), zeros(16, ScalarType.Int64));
        var e = Assert.Throws<ArgumentException>(() =>
            Pruner.Unstructured(model, ["fc.weight", "conv.weight"], PruningAmount.Of(0.5), new SparseGptCriterion(), data: data));
        Assert.Contains("Linear weights", e.Message);
        Assert.Equal(before, Snapshot(model));
        Assert.Empty(PruningMasks.Of(model));
    }

    [Fact]
    public void Calibration_data_of_the_wrong_shape_is_refused_in_one_line()
    {
        using var model = PostTrainingReference.Network();
        using var data = new Data.TensorDataset(randn(8, 5), zeros(8, ScalarType.Int64));
        var e = Assert.Throws<ArgumentException>(() => Pruner.Unstructured(model, Weights, PruningAmount.Of(0.5), new WandaCriterion(), data: data));
        Assert.StartsWith("The calibration data (examples of shape (5), Float32) does not fit TwoLayers", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(PruningMasks.Of(model));
    }
}
