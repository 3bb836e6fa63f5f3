using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Interactive.Tests;

[Collection(KernelCollection.Name)]
public sealed class TrainMagicTests : KernelTestBase
{
    [Fact]
    public async Task Train_shows_the_plan_then_one_live_chart_that_ends_finished_and_stores_the_history()
    {
        var before = Trainer.Evaluate(Variable<LeNet300_100>("mlp"), Variable<Core.Data.TensorDataset>("samples")).Loss;
        var result = await Kernel.SendAsync(new SubmitCode(
            "#!train mlp --data samples --validation samples --optimizer sgd --lr 0.05 --epochs 3 --batch-size 20 --schedule step(1,0.5) --l2 1e-4 --history h"));
        Assert.Empty(result.Events.OfType<CommandFailed>());

        var displayed = result.Events.OfType<DisplayedValueProduced>().ToList();
        Assert.Equal(2, displayed.Count);   // the plan, then the live chart
        var plan = Html(displayed[0]);
        Assert.Contains("sgd (momentum 0.9)", plan);
        Assert.Contains("step", plan);
        Assert.Contains("l2(0.0001)", plan);
        // The chart is one display: a short run may only show its final state; a longer one updates it in place
        // as often as the time budget allows (LiveTrainingFeed).
        var updates = result.Events.OfType<DisplayedValueUpdated>().ToList();
        Assert.All(updates, u => Assert.Equal(displayed[1].ValueId, u.ValueId));
        var final = System.Net.WebUtility.HtmlDecode(Html(updates.Count > 0 ? updates[^1] : displayed[1]));
        Assert.StartsWith("<div style=\"font-family:monospace;margin:4px 0\">finished · 3/3 epochs", final);
        Assert.Contains("learning rate", final);

        var history = Variable<TrainingHistory>("h");
        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal([0.05, 0.025, 0.0125], history.Epochs.Select(e => e.LearningRate));
        Assert.Equal(30, history.LearningRates.Count);
        Assert.All(history.Epochs, e => Assert.True(e.Penalty > 0));
        Assert.True(history.Epochs[^1].TestLoss < before, "training should lower the loss on the data it trains on");
    }

    [Fact]
    public async Task An_interrupt_stops_training_at_the_next_batch_and_the_kernel_and_model_stay_usable()
    {
        var training = Kernel.SendAsync(new SubmitCode("#!train mlp --data samples --epochs 100000 --batch-size 10"));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(training.IsCompleted, "training finished before it could be interrupted");
        await Kernel.SendAsync(new Cancel());
        var result = await training.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(result.Events.OfType<CommandFailed>().SingleOrDefault());
        var accuracy = Trainer.Evaluate(Variable<LeNet300_100>("mlp"), Variable<Core.Data.TensorDataset>("samples")).Accuracy;
        Assert.InRange(accuracy, 0, 1);
        var next = await Kernel.SendAsync(new SubmitCode("1 + 1"));
        Assert.Empty(next.Events.OfType<CommandFailed>());
    }

    [Theory]
    [InlineData("#!train mlp --data samples --optimizer lbfgs9", "Unknown optimizer 'lbfgs9'")]
    [InlineData("#!train mlp --data samples --lr -1", "Learning rate must be a positive number, got -1")]
    [InlineData("#!train mlp --data samples --early-stopping -2 --validation samples", "patience must be zero or more epochs, got -2")]
    [InlineData("#!train mlp --data samples --early-stopping 2", "watches a validation metric")]
    [InlineData("#!train mlp --data samples --checkpoint /nonexistent-folder/x.ckpt", "folder '/nonexistent-folder' does not exist")]
    [InlineData("#!train mlp --data samples --schedule warp(3)", "--schedule: Unknown")]
    [InlineData("#!train mlp --data samples --l1 -1e-4", "L1 strength")]
    [InlineData("#!train mlp --data text", "not a dataset")]
    [InlineData("#!train mlp --data samples --resume", "--resume needs --checkpoint")]
    public async Task Bad_train_options_fail_in_one_line_before_any_training(string code, string expected)
    {
        var before = Variable<LeNet300_100>("mlp").named_parameters().Select(p => p.parameter.sum().item<float>()).ToArray();
        Assert.Contains(expected, await FailureMessage(code));
        Assert.Equal(before, Variable<LeNet300_100>("mlp").named_parameters().Select(p => p.parameter.sum().item<float>()).ToArray());
    }

    private static string Html(DisplayEvent e) => Assert.Single(e.FormattedValues, v => v.MimeType == "text/html").Value;
}
