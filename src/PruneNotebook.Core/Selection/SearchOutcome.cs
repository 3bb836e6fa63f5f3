using PruneNotebook.Core.Data;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// A finished search: its results and the best configuration refitted on all rows. As a fitted model it standardizes
/// raw features with the statistics of all rows, then predicts with the refitted model. Dispose it to free a refitted network.
/// </summary>
/// <param name="Result">Every trial and the winner.</param>
/// <param name="BestModel">The best configuration refitted on all (standardized) rows, or <c>null</c> when refitting was off.</param>
/// <param name="Scaling">The standardization the refitted model expects.</param>
public sealed record SearchOutcome(SearchResult Result, IFittedModel? BestModel, Standardization Scaling) : IFittedModel, IDisposable
{
    /// <summary>The winning configuration.</summary>
    public IReadOnlyDictionary<string, object> BestParameters => Result.Best.Parameters;

    /// <summary>Predictions for raw features (n, d).</summary>
    /// <exception cref="InvalidOperationException">The search did not refit.</exception>
    public Tensor Predict(Tensor features)
    {
        var model = BestModel ?? throw new InvalidOperationException("The search ran without refitting: there is no best model to predict with.");
        using var standardized = Scaling.Transform(features);
        return model.Predict(standardized);
    }

    /// <summary>The refitted model's score on raw rows.</summary>
    public double Score(TabularDataset data)
    {
        var model = BestModel ?? throw new InvalidOperationException("The search ran without refitting: there is no best model to score.");
        using var standardized = Scaling.Transform(data);
        return model.Score(standardized);
    }

    /// <inheritdoc />
    public void Dispose() => (BestModel as IDisposable)?.Dispose();
}
