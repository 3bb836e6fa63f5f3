using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using static TorchSharp.torch;

namespace PruneNotebook.Interactive.Tests;

/// <summary>
/// The kernel keeps every variable any cell assigned, disposed models included; their masks go at the next command all
/// the same, and the kernel goes on.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class DisposedModelMasksTests : KernelTestBase
{
    private async Task Run(string code)
    {
        var result = await Kernel.SendAsync(new SubmitCode(code));
        var failure = result.Events.OfType<CommandFailed>().FirstOrDefault();
        Assert.True(failure is null, $"{code}: {failure?.Message}");
    }

    [Fact]
    public async Task A_pruned_model_disposed_in_a_cell_releases_its_masks_while_its_variable_still_holds_it()
    {
        await DisplayedHtml("#!prune model --amount 0.5 --scope global");
        var model = Variable<LeNet5>("model");
        var masks = PruningMasks.Of(model).Select(m => m.Mask).ToList();
        Assert.Equal(5, masks.Count);
        Assert.All(masks, m => Assert.False(m.IsInvalid));

        await Run("model.Dispose();");

        Assert.Same(model, Variable<LeNet5>("model"));
        Assert.All(masks, m => Assert.True(m.IsInvalid, "a mask of the disposed model is still allocated"));
        Assert.Empty(PruningMasks.Of(model));
        Assert.Contains("holds a disposed model", await FailureMessage("#!sparsity model"));

        // The next model in the same variable is pruned and masked as usual.
        await Run("model = new PruneNotebook.Core.Models.LeNet5();");
        await DisplayedHtml("#!prune model --amount 0.5 --scope global");
        Assert.Equal(5, PruningMasks.Of(Variable<LeNet5>("model")).Count);
    }

    [Fact]
    public async Task Models_redeclared_cycle_after_cycle_stay_in_the_script_state_but_none_keeps_its_masks()
    {
        var masks = new List<Tensor>();
        for (var cycle = 0; cycle < 3; cycle++)
        {
            await Run("var m = new PruneNotebook.Core.Models.LeNet5();");
            await DisplayedHtml("#!prune m --amount 0.5 --scope global");
            await DisplayedHtml("#!prune m --amount 4 --structured --layers conv2");
            await DisplayedHtml("#!trim m");
            await Run("#!train m --data samples --epochs 1 --batch-size 100");
            var model = Variable<LeNet5>("m");
            var held = PruningMasks.Of(model).Select(e => e.Mask).ToList();
            Assert.Equal(6, held.Count); // the 5 weights, and conv2's bias from the structured pass
            masks.AddRange(held);
            await Run("m.Dispose();");
            Assert.All(held, t => Assert.True(t.IsInvalid, $"cycle {cycle}: a mask of the disposed model is still allocated"));
        }

        // Each `var m` is a variable of its own submission, and the script state keeps them all.
        var kept = CSharp.ScriptState.Variables.Where(v => v.Name == "m").Select(v => v.Value).ToList();
        Assert.Equal(3, kept.Count);
        Assert.All(kept, v => Assert.IsType<LeNet5>(v));
        Assert.Equal(18, masks.Count);
        Assert.All(masks, t => Assert.True(t.IsInvalid));
    }
}
