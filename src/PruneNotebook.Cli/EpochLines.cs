using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Cli;

/// <summary>One line per finished epoch while a recipe trains, so long runs (and CI logs) show progress.</summary>
internal sealed class EpochLines(TextWriter output, int epochs) : ITrainingCallback
{
    public bool OnEpochEnd(EpochMetrics metrics)
    {
        output.WriteLine("  " + metrics.Line(epochs));
        output.Flush();
        return true;
    }
}

/// <summary>One line after every tenth of a language model's training steps, as <see cref="EpochLines"/> does per epoch.</summary>
internal sealed class StepLines(Action<string> line) : IProgress<LanguageModelProgress>
{
    public void Report(LanguageModelProgress value) => line("  " + value.Line);
}
