using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Interactive;

/// <summary>
/// While a recipe's train step runs in <c>#!recipe</c>: one line of text, updated in place after every epoch (images) or
/// every tenth of the steps (text), with the lines <c>prunenotebook run</c> prints one below the other.
/// </summary>
internal sealed class RecipeProgressLine(KernelInvocationContext context) : IProgress<LanguageModelProgress>
{
    private DisplayedValue? _shown;

    /// <inheritdoc />
    public void Report(LanguageModelProgress value) => Show(value.Line);

    /// <summary>The callback for one train step on images of <paramref name="epochs"/> epochs.</summary>
    public ITrainingCallback Epochs(int epochs) => new EpochLine(this, epochs);

    /// <summary>Starts a new line for the next step of the recipe.</summary>
    public void NextStep() => _shown = null;

    private void Show(string line)
    {
        if (_shown is null)
            _shown = KernelInvocationContextExtensions.Display(context, line, "text/plain");
        else
            _shown.Update(line);
    }

    private sealed class EpochLine(RecipeProgressLine owner, int epochs) : ITrainingCallback
    {
        public bool OnEpochEnd(EpochMetrics metrics)
        {
            owner.Show(metrics.Line(epochs));
            return true;
        }
    }
}
