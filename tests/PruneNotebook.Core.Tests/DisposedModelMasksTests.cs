using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Surgery;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>
/// A disposed model that something still references (a notebook kernel keeps every variable a cell assigned) gives up
/// its masks, the values kept for reset and its mask hooks; live models keep theirs.
/// </summary>
public class DisposedModelMasksTests
{
    private static LeNet5 Pruned()
    {
        var model = new LeNet5();
        Pruner.Unstructured(model, Pruner.DefaultTargets(model), PruningAmount.Of(0.5), new MagnitudeCriterion(1), PruningScope.Global);
        return model;
    }

    /// <summary>Every tensor the masks of <paramref name="model"/> hold: masks and values before pruning.</summary>
    private static List<Tensor> MaskTensors(nn.Module model) =>
        PruningMasks.Entries(model).SelectMany(e => new[] { e.Mask, e.Original }).ToList();

    [Fact]
    public void A_disposed_model_still_referenced_releases_its_masks_and_hooks_and_a_live_one_keeps_its_own()
    {
        var disposed = Pruned();
        var live = Pruned();
        var disposedTensors = MaskTensors(disposed);
        var liveTensors = MaskTensors(live);
        Assert.Equal(10, disposedTensors.Count); // 5 weights: each a mask and its values before pruning
        Assert.Equal(10, liveTensors.Count);
        var disposedModules = ((nn.Module)disposed).named_modules().Select(m => m.module).Prepend(disposed).ToList();
        Assert.Contains(disposedModules, PruningMasks.IsHooked);

        disposed.Dispose();
        var released = PruningMasks.ReleaseDisposed();

        Assert.True(released >= 5, $"released {released} masks, expected at least the 5 of the disposed model");
        Assert.All(disposedTensors, t => Assert.True(t.IsInvalid, "a mask tensor of the disposed model is still allocated"));
        Assert.Empty(PruningMasks.Entries(disposed));
        Assert.DoesNotContain(disposedModules, PruningMasks.IsHooked);

        Assert.All(liveTensors, t => Assert.False(t.IsInvalid));
        Assert.Equal(5, PruningMasks.Of(live).Count);
        Assert.True(PruningMasks.IsHooked(live));
        // The live model is still masked by its hooks: weights pushed off zero are zeroed again by a forward pass.
        using (no_grad())
        {
            foreach (var (_, parameter) in live.named_parameters())
                parameter.add_(1.0f);
        }
        using (var output = live.call(zeros(1, 1, 28, 28)))
            Assert.Equal(new long[] { 1, 10 }, output.shape);
        foreach (var (name, mask) in PruningMasks.Of(live))
        {
            var parameter = live.named_parameters().Single(p => p.name == name).parameter;
            Assert.Equal(0f, parameter.masked_select(mask.eq(0)).abs().sum().item<float>());
        }
        GC.KeepAlive(disposed);
        live.Dispose();
        PruningMasks.ReleaseDisposed();
        Assert.All(liveTensors, t => Assert.True(t.IsInvalid));
    }

    [Fact]
    public void Pruning_any_model_releases_the_masks_of_disposed_ones_including_masks_moved_by_trimming()
    {
        var trimmed = Pruned();
        Pruner.Structured(trimmed, ["conv2.weight"], PruningAmount.Exactly(4), new MagnitudeCriterion(1));
        NetworkSurgery.Trim(trimmed);
        var trimmedTensors = MaskTensors(trimmed);
        Assert.NotEmpty(trimmedTensors);
        trimmed.Dispose();
        Assert.All(trimmedTensors, t => Assert.False(t.IsInvalid)); // nothing releases them before the next change of masks

        using var other = Pruned();

        Assert.All(trimmedTensors, t => Assert.True(t.IsInvalid, "a mask of the disposed, trimmed model is still allocated"));
        Assert.Equal(5, PruningMasks.Of(other).Count);
        GC.KeepAlive(trimmed);
    }

    [Fact]
    public void Releasing_counts_only_the_masks_of_disposed_models()
    {
        // Models of earlier tests that nothing references go with their masks at a full collection: count after one.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        PruningMasks.ReleaseDisposed();
        var heldBefore = PruningMasks.Held;
        using var live = Pruned();
        var disposed = Pruned();
        Assert.Equal(heldBefore + 10, PruningMasks.Held);

        disposed.Dispose();
        Assert.Equal(5, PruningMasks.ReleaseDisposed());
        Assert.Equal(0, PruningMasks.ReleaseDisposed());
        Assert.Equal(heldBefore + 5, PruningMasks.Held);
        GC.KeepAlive(disposed);
    }
}
