using PruneNotebook.Core.Reports;

namespace PruneNotebook.Visualization.Tests;

/// <summary>A language model's training run and evaluation as a recipe report shows them.</summary>
public class LanguageModelVisualsTests
{
    [Fact]
    public void The_evaluation_table_shows_perplexity_bits_per_character_loss_and_characters()
    {
        var evaluation = new LanguageModelEvaluation(Math.Log(12.5), 258_560);
        var html = new NotebookRenderer().Render(evaluation)!;
        Assert.Contains(">12.5000<", html);
        Assert.Contains($">{Math.Log2(12.5):F4}<", html);       // 3.6439 bits per character
        Assert.Contains($">{Math.Log(12.5):F4}<", html);        // 2.5257 nats
        Assert.Contains(">258,560<", html);
        Assert.Equal("perplexity 12.5000, 3.6439 bits per character on 258,560 characters", evaluation.Line);
    }

    [Fact]
    public void The_training_chart_draws_every_step_and_the_mean_of_the_last_tenth()
    {
        // 20 steps: the running mean is over the last 2 steps.
        var losses = Enumerable.Range(0, 20).Select(i => 4.0 - 0.125 * i).ToList();
        var history = new LanguageModelHistory("CharGpt", 32, 64, 3e-3, 0, losses, 1.5);
        Assert.Equal(2, history.FinalSteps);
        Assert.Equal((losses[18] + losses[19]) / 2, history.FinalLoss, 12);
        Assert.Equal("20 steps of 32 windows of 64 characters, adamw lr 0.003 (warm-up, cosine), seed 0: train loss 1.6875 (mean of the last 2 steps)", history.Line);
        var html = new NotebookRenderer().Render(history)!;
        Assert.Contains("mean of the last 2 steps", html);
        Assert.Contains("1.625", html);                          // the last step's loss
        Assert.Contains("1.6875", html);                         // the last running mean
        Assert.Contains("CharGpt · adamw · batch 32 × 64 characters", html);
        Assert.Contains("Plotly.newPlot", html);
    }
}
