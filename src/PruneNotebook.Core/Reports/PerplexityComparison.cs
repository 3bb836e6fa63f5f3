using System.Diagnostics;
using System.Globalization;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Reports;

/// <summary>
/// Validation perplexity of a next-token model (such as <see cref="Models.CharGpt"/>) pruned one-shot, with no
/// fine-tuning, by several criteria in several settings (a fraction of every weight, or an N:M pattern), beside its
/// dense perplexity: the comparison the Wanda and SparseGPT papers report. Immutable.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="DensePerplexity">Validation perplexity before pruning.</param>
/// <param name="Entries">One per setting and criterion, in the order measured.</param>
public sealed record PerplexityComparison(string Model, double DensePerplexity, IReadOnlyList<PerplexityComparison.Entry> Entries)
{
    /// <summary>One pruned model.</summary>
    /// <param name="Setting">The sparsity: a fraction such as <c>0.5</c>, or a pattern such as <c>2:4</c>.</param>
    /// <param name="Criterion">The criterion's name as registered (<c>l1</c> is magnitude).</param>
    /// <param name="Perplexity">Validation perplexity after pruning.</param>
    /// <param name="Seconds">Time the pruning call took (calibration included).</param>
    public sealed record Entry(string Setting, string Criterion, double Perplexity, double Seconds);

    /// <summary>The perplexity for <paramref name="setting"/> and <paramref name="criterion"/>.</summary>
    /// <exception cref="ArgumentException">Not measured.</exception>
    public double Of(string setting, string criterion) =>
        Entries.FirstOrDefault(e => e.Setting == setting && e.Criterion == criterion)?.Perplexity
        ?? throw new ArgumentException($"No entry for --criterion {criterion} at {setting}: measured {string.Join(", ", Entries.Select(e => $"{e.Criterion} at {e.Setting}"))}.");

    /// <summary>
    /// Prunes <paramref name="model"/> for each setting and criterion in turn (<see cref="Pruner.Unstructured"/> with a
    /// fraction, locally; <see cref="Pruner.SemiStructured"/> with an N:M pattern), evaluates it on
    /// <paramref name="validation"/>, and puts it back as it was before the next one.
    /// </summary>
    /// <param name="model">Maps (batch, T) token indices to (batch, T, vocabulary) logits; unpruned, and unchanged afterwards.</param>
    /// <param name="targets">Qualified weight names to prune.</param>
    /// <param name="settings">Fractions (<c>0.5</c>) or N:M patterns (<c>2:4</c>).</param>
    /// <param name="criteria">Criterion names from <see cref="Criteria"/>, e.g. <c>l1</c>, <c>wanda</c>, <c>sparsegpt</c>, with
    /// their defaults, except that the criteria that measure on data use every calibration window given (their
    /// <c>samples</c>). For other arguments (a SparseGPT block size) pass criteria made with <see cref="Criteria.Create"/>.</param>
    /// <param name="calibration">Calibration windows (features (N, T)) for the criteria that measure on data.</param>
    /// <param name="validation">Validation windows, features and labels (N, T).</param>
    /// <exception cref="ArgumentException">The model is already pruned, or a setting, criterion or target is not valid; the model is unchanged.</exception>
    public static PerplexityComparison Measure(nn.Module<Tensor, Tensor> model, IReadOnlyList<string> targets, IReadOnlyList<string> settings,
        IReadOnlyList<string> criteria, TensorDataset calibration, TensorDataset validation)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentNullException.ThrowIfNull(calibration);
        var windows = new Dictionary<string, string> { ["samples"] = calibration.Count.ToString(CultureInfo.InvariantCulture) };
        var chosen = criteria.Select(c => Criteria.Create(c, Criteria.Get(c).Parameters.Any(p => p.Name == "samples") ? windows : null)).ToList();
        try
        {
            return Measure(model, targets, settings, chosen, calibration, validation);
        }
        finally
        {
            foreach (var criterion in chosen)
                (criterion as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// <see cref="Measure(nn.Module{Tensor, Tensor}, IReadOnlyList{string}, IReadOnlyList{string}, IReadOnlyList{string}, TensorDataset, TensorDataset)"/>
    /// with criteria made by the caller, each with its own arguments (calibration samples, block size, damping).
    /// </summary>
    /// <exception cref="ArgumentException">The model is already pruned, or a setting or target is not valid; the model is unchanged.</exception>
    public static PerplexityComparison Measure(nn.Module<Tensor, Tensor> model, IReadOnlyList<string> targets, IReadOnlyList<string> settings,
        IReadOnlyList<ICriterion> criteria, TensorDataset calibration, TensorDataset validation)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(criteria);
        if (PruningMasks.Any(model))
            throw new ArgumentException($"{model.GetType().Name} is pruned already: compare criteria on an unpruned model (reset its masks first).");
        var parsed = settings.Select(s => s.Contains(':', StringComparison.Ordinal) ? (object)NmSparsity.Parse(s) : PruningAmount.Parse(s)).ToList();
        var chosen = criteria;
        var dense = LanguageModelTraining.Evaluate(model, validation).Perplexity;
        var snapshot = model.parameters().Select(p => p.detach().clone().DetachFromDisposeScope()).ToList();
        var entries = new List<Entry>();
        try
        {
            for (var s = 0; s < settings.Count; s++)
            {
                foreach (var criterion in chosen)
                {
                    var watch = Stopwatch.StartNew();
                    try
                    {
                        if (parsed[s] is NmSparsity pattern)
                            Pruner.SemiStructured(model, targets, pattern, criterion, calibration);
                        else
                            Pruner.Unstructured(model, targets, (PruningAmount)parsed[s], criterion, data: calibration);
                        var seconds = watch.Elapsed.TotalSeconds;
                        entries.Add(new Entry(settings[s], criterion.Name, LanguageModelTraining.Evaluate(model, validation).Perplexity, seconds));
                    }
                    finally
                    {
                        Restore(model, snapshot);
                    }
                }
            }
        }
        finally
        {
            foreach (var t in snapshot)
                t.Dispose();
        }
        return new PerplexityComparison(model.GetType().Name, dense, entries);
    }

    private static void Restore(nn.Module model, List<Tensor> snapshot)
    {
        PruningMasks.Reset(model);
        using var noGrad = no_grad();
        foreach (var (parameter, saved) in model.parameters().Zip(snapshot))
            parameter.copy_(saved);
    }
}
