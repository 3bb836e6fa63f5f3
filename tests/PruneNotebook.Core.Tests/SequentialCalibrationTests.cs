using PruneNotebook.Core.Calibration;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>
/// Wanda and SparseGPT calibrate a transformer block by block, as the papers' code does: each block's Linear layers on
/// the outputs of the blocks before it, already pruned; one pass per block.
/// </summary>
public class SequentialCalibrationTests
{
    private static CharGpt Model()
    {
        manual_seed(11);
        return new CharGpt(context: 8, dim: 16, depth: 2, heads: 2, mlpHidden: 32);
    }

    private static TensorDataset Calibration()
    {
        using var generator = new Generator(5);
        return new TensorDataset(randint(96, [24, 8], generator: generator), zeros([24, 8], ScalarType.Int64));
    }

    private static CharGpt CopyOf(CharGpt model)
    {
        var copy = new CharGpt(context: 8, dim: 16, depth: 2, heads: 2, mlpHidden: 32);
        copy.load_state_dict(model.state_dict());
        return copy;
    }

    private static long[] MaskOf(nn.Module model, string name) => PyTorchReference.MaskOf(PruningMasks.Get(model, name)!);

    [Fact]
    public void A_transformer_is_calibrated_in_stages_of_one_block_and_the_layers_outside_blocks()
    {
        using var model = Model();
        using var data = Calibration();
        using var calibration = new SequentialCalibration(model, data, samples: 24, gram: false, oneByOne: false);
        Assert.Equal(3, calibration.Stages.Count);
        Assert.Equal(["blocks.0.attention.inner.query", "blocks.0.attention.inner.key", "blocks.0.attention.inner.value",
            "blocks.0.attention.inner.output", "blocks.0.mlp.inner.fc1", "blocks.0.mlp.inner.fc2"], calibration.Stages[0]);
        Assert.Equal(["head"], calibration.Stages[2]);
        // The block pass sees what the whole model's pass sees when nothing is pruned.
        var whole = CalibrationPass.Gather(model, data, ["blocks.1.mlp.inner.fc2", "head"], samples: 24);
        try
        {
            var fc2 = calibration.For("blocks.1.mlp.inner.fc2")!;
            Assert.Equal(24 * 8, fc2.Rows);
            Assert.True(fc2.SquaredNorms.allclose(whole["blocks.1.mlp.inner.fc2"].SquaredNorms, 1e-4, 1e-5));
            Assert.True(calibration.For("head")!.SquaredNorms.allclose(whole["head"].SquaredNorms, 1e-4, 1e-5));
            Assert.Null(calibration.For("blocks.0.attention.norm"));
        }
        finally
        {
            foreach (var s in whole.Values)
                s.Dispose();
        }
    }

    [Fact]
    public void Wanda_scores_each_block_on_the_outputs_of_the_pruned_blocks_before_it()
    {
        using var model = Model();
        using var data = Calibration();
        var targets = Pruner.LayerWeights(model);   // the head too: a layer outside the blocks
        using var sequential = CopyOf(model);
        Pruner.Unstructured(sequential, targets, PruningAmount.Of(0.5), new WandaCriterion(samples: 24), data: data);

        // The same, one call per block: each call sees the blocks pruned by the calls before it.
        using var byHand = CopyOf(model);
        foreach (var stage in new[] { "blocks.0.", "blocks.1.", "head" })
            Pruner.Unstructured(byHand, targets.Where(t => t.StartsWith(stage, StringComparison.Ordinal)).ToList(), PruningAmount.Of(0.5), new WandaCriterion(samples: 24), data: data);
        foreach (var t in targets)
            Assert.Equal(MaskOf(byHand, t), MaskOf(sequential, t));

        // One pass over the dense model (each layer scored alone) agrees on the first block only.
        var differ = 0;
        foreach (var t in targets)
        {
            using var alone = CopyOf(model);
            Pruner.Unstructured(alone, [t], PruningAmount.Of(0.5), new WandaCriterion(samples: 24), data: data);
            if (t.StartsWith("blocks.0.", StringComparison.Ordinal))
                Assert.Equal(MaskOf(alone, t), MaskOf(sequential, t));
            else if (!MaskOf(alone, t).SequenceEqual(MaskOf(sequential, t)))
                differ++;
        }
        Assert.True(differ >= 3, $"only {differ} later layers changed their masks");
        // Weights are as before apart from the pruned entries.
        var pruned = sequential.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, value) in model.named_parameters())
            Assert.True(value.mul(PruningMasks.Get(sequential, name) ?? ones_like(value)).eq(pruned[name]).all().item<bool>(), name);
    }

    [Fact]
    public void SparseGpt_prunes_a_block_from_one_pass_of_that_block_on_the_pruned_blocks_before_it()
    {
        using var model = Model();
        using var data = Calibration();
        var targets = Pruner.LayerWeights(model);   // the head too: a layer outside the blocks
        using var sequential = CopyOf(model);
        Pruner.SemiStructured(sequential, targets, new NmSparsity(2, 4), new SparseGptCriterion(blockSize: 8, samples: 24), data);
        using var byHand = CopyOf(model);
        foreach (var stage in new[] { "blocks.0.", "blocks.1.", "head" })
            Pruner.SemiStructured(byHand, targets.Where(t => t.StartsWith(stage, StringComparison.Ordinal)).ToList(), new NmSparsity(2, 4), new SparseGptCriterion(blockSize: 8, samples: 24), data);
        var a = byHand.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, value) in sequential.named_parameters())
            Assert.True(value.allclose(a[name], 1e-4, 1e-6), name);
        foreach (var t in targets)
            Assert.Equal(MaskOf(byHand, t), MaskOf(sequential, t));

        // Within a block every layer's Hessian comes from the block's dense inputs: fc2 is pruned as if fc1 were not.
        using var fc2First = CopyOf(model);
        Pruner.SemiStructured(fc2First, ["blocks.0.mlp.inner.fc2.weight"], new NmSparsity(2, 4), new SparseGptCriterion(blockSize: 8, samples: 24), data);
        const string fc2 = "blocks.0.mlp.inner.fc2.weight";
        Assert.True(fc2First.named_parameters().Single(p => p.name == fc2).parameter.allclose(a[fc2], 1e-4, 1e-6));
    }
}
